import * as zarr from "zarrita";
import type { AbsolutePath } from "@zarrita/storage";
import { toColumnData, type ColumnData, type NumericData } from "../column-data.ts";
import { isDrawscopeError, StoreError } from "../errors.ts";
import { checkDecodedLength } from "../validate.ts";
import { registerBloscCodec } from "./blosc-codec.ts";
import { registerCrc32cCodec } from "./crc32c-codec.ts";
import { registerDeflateCodecs } from "./deflate-codecs.ts";
import { registerZstdCodec } from "./zstd-codec.ts";
import { ownsBuffer } from "./spare-buffers.ts";

// Every thread that decodes chunks (the page's, the workers', Node's) imports this module.
registerBloscCodec();
registerCrc32cCodec();
registerDeflateCodecs();
registerZstdCodec();

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

type OpenedArray = zarr.Array<zarr.DataType, zarr.Readable>;

/**
 * Decodes chunks with zarrita's codec pipeline, one at a time. Each array is opened once over a
 * store that serves its metadata document and, for any other key, the bytes of the chunk being
 * decoded; decoding one job at a time is what makes that single slot safe.
 */
export class ChunkDecoder {
  readonly #arrays = new Map<string, { array: Promise<OpenedArray>; slot: { bytes?: Uint8Array } }>();
  #queue: Promise<unknown> = Promise.resolve();

  decode(job: DecodeJob): Promise<DecodedChunk> {
    const next = this.#queue.then(() => this.#decodeNow(job));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #open(job: DecodeJob) {
    const key = `${job.format}:${new TextDecoder().decode(job.metadata)}`;
    let entry = this.#arrays.get(key);
    if (!entry) {
      const slot: { bytes?: Uint8Array } = {};
      const meta = `/${META_NAME[job.format]}`;
      const store = { get: async (k: AbsolutePath) => (k.endsWith(meta) ? job.metadata : slot.bytes) };
      const location = zarr.root(store).resolve("a");
      const array = job.format === 3 ? zarr.open.v3(location, { kind: "array" }) : zarr.open.v2(location, { kind: "array", attrs: false });
      entry = { array, slot };
      this.#arrays.set(key, entry);
    }
    return entry;
  }

  async #decodeNow(job: DecodeJob): Promise<DecodedChunk> {
    const { array, slot } = this.#open(job);
    slot.bytes = job.bytes;
    try {
      const chunk = await (await array).getChunk(job.coords).catch((error: unknown) => {
        throw damagedChunk(error, job.where, job.coords);
      });
      checkDecodedLength(job.where, job.coords, (chunk.data as ArrayLike<unknown>).length, chunk.shape);
      return { values: toColumnData(chunk.data, job.where, job.asBool), stride: chunk.stride };
    } finally {
      slot.bytes = undefined;
    }
  }
}

/** Errors that say the code is wrong, not the bytes it was given. */
const BUGS = [TypeError, ReferenceError, SyntaxError];

/**
 * A codec's failure on a chunk as a StoreError naming the chunk: a codec's own drawscope error (a
 * damaged frame, one that says it inflates past its shape), which zarrita wraps as the cause of
 * its pipeline error, as it is worded; another codec's failure to decode (numcodecs' WebAssembly
 * says "Invalid typed array length") as a chunk it cannot decode. A bug (a TypeError and the
 * like) and any other error are left as they are.
 */
export function damagedChunk(error: unknown, where: string, coords: readonly number[]): unknown {
  const inner = (error as { cause?: unknown } | undefined)?.cause;
  const path = where.replace(/^\//, "");
  const chunk = `cannot read chunk ${coords.join(".")} of ${path}`;
  if (isDrawscopeError(inner)) return new StoreError(`${chunk}: ${inner.message}`, path);
  if (!zarr.isZarritaError(error, "CodecPipelineError") || error.direction !== "decode" || BUGS.some((bug) => inner instanceof bug)) return error;
  const reason = inner instanceof Error && inner.message ? ` (${inner.message})` : "";
  return new StoreError(`${chunk}: ${error.codec ?? "its codec"} cannot decode it${reason}. The chunk is damaged, or written with settings drawscope does not read.`, path);
}

/** Buffers of a decoded chunk that can move between threads without a copy. */
export function transferables(chunk: DecodedChunk): ArrayBuffer[] {
  return chunk.values.kind === "string" ? [] : [chunk.values.data.buffer as ArrayBuffer];
}

/** A typed array that owns its whole buffer (copied when it is a view into a larger one), so moving the buffer moves nothing else. */
export function exclusive<T extends NumericData>(view: T): T {
  return ownsBuffer(view) ? view : (view.slice() as T);
}

/** A decoded chunk whose typed array can be moved to another thread on its own. */
export function ownBuffer(chunk: DecodedChunk): DecodedChunk {
  const { values } = chunk;
  if (values.kind === "string") return chunk;
  return { ...chunk, values: { ...values, data: exclusive(values.data) } as ColumnData };
}
