import * as zarr from "zarrita";
import type { AbsolutePath } from "@zarrita/storage";
import { toColumnData, type ColumnData } from "../column-data.ts";

/**
 * One chunk to decode off the main thread: the array's own metadata document (so the decoder
 * rebuilds the same codec pipeline) and the chunk's stored bytes.
 */
export interface DecodeJob {
  format: 2 | 3;
  /** The array's `.zarray` (v2) or `zarr.json` (v3), as the engine's store serves it. */
  metadata: Uint8Array;
  coords: number[];
  bytes: Uint8Array;
  asBool: boolean;
  /** The array's path, for messages. */
  where: string;
}

export interface DecodedChunk {
  values: ColumnData;
  /** Element strides of `values`, usually C order over the full chunk shape. */
  stride: number[];
}

const META_NAME = { 2: ".zarray", 3: "zarr.json" } as const;

/**
 * Decode one chunk with zarrita's codec pipeline. The store handed to zarrita serves the
 * metadata document and, for any other key, the chunk's bytes: it holds exactly one chunk.
 */
export async function decodeJob(job: DecodeJob): Promise<DecodedChunk> {
  const meta = META_NAME[job.format];
  const store = { get: async (key: AbsolutePath) => (key.endsWith(`/${meta}`) ? job.metadata : job.bytes) };
  const location = zarr.root(store).resolve("a");
  const array =
    job.format === 3
      ? await zarr.open.v3(location, { kind: "array" })
      : await zarr.open.v2(location, { kind: "array", attrs: false });
  const chunk = await array.getChunk(job.coords);
  return { values: toColumnData(chunk.data, job.where, job.asBool), stride: chunk.stride };
}

/** Buffers of a decoded chunk that can move between threads without a copy. */
export function transferables(chunk: DecodedChunk): ArrayBuffer[] {
  return chunk.values.kind === "string" ? [] : [chunk.values.data.buffer as ArrayBuffer];
}

/** Make a chunk's typed array own its whole buffer, so moving the buffer moves nothing else. */
export function ownBuffer(chunk: DecodedChunk): DecodedChunk {
  const { values } = chunk;
  if (values.kind === "string") return chunk;
  const data = values.data;
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return chunk;
  return { ...chunk, values: { ...values, data: data.slice() } as ColumnData };
}
