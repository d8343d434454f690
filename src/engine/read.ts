import type * as zarr from "zarrita";
import { allocateLike, toColumnData, type ColumnData } from "./column-data.ts";
import { ChunkDecoder, damagedChunk, type DecodedChunk } from "./decode/job.ts";
import type { WorkPool } from "./pool/pool.ts";
import type { ChunkGetOptions, RemoteChunks } from "./store/types.ts";
import { isDrawscopeError, StoreError } from "./errors.ts";
import { checkDecodedLength } from "./validate.ts";
import { mapLimit } from "./limit.ts";

export type ZarrArray = zarr.Array<zarr.DataType, zarr.Readable>;

export function cStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  return strides;
}

/** The chunk grid: how many chunks along each axis. */
export function chunkGrid(array: ZarrArray): number[] {
  return array.shape.map((n, k) => Math.ceil(n / array.chunks[k]));
}

/** Every chunk coordinate tuple, in C order. */
export function* chunkCoords(grid: readonly number[]): Generator<number[]> {
  const total = grid.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(grid.length).fill(0);
  for (let n = 0; n < total; n++) {
    yield idx.slice();
    for (let k = grid.length - 1; k >= 0; k--) {
      if (++idx[k] < grid[k]) break;
      idx[k] = 0;
    }
  }
}

/** True for int8 arrays xarray wrote for booleans. */
export function storesBool(array: ZarrArray): boolean {
  return array.attrs?.dtype === "bool";
}

/** Counts chunks as they are read (see progress.ts). */
export interface ReadProgress {
  chunkRead(array: ZarrArray, bytes: number): void;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Told about every chunk read, with its stored size. */
  progress?: ReadProgress;
  /** Workers to decode large chunks on; without one, chunks decode on this thread. */
  pool?: WorkPool;
  /** With a pool, where its workers fetch large chunks themselves (a Zarr folder over HTTP). */
  remote?: RemoteChunks;
}

/** Chunks smaller than this decode on the calling thread: a round trip to a worker costs more. */
const MIN_POOLED_BYTES = 1 << 16;

/** A whole chunk's bytes once decoded, for numeric arrays (0 for strings, which are small and decode here). */
function decodedChunkBytes(array: ZarrArray): number {
  const dtype = String(array.dtype);
  const bits = dtype === "bool" ? 8 : Number(/^(?:u?int|float)(\d+)$/.exec(dtype)?.[1] ?? 0);
  return (array.chunks.reduce((a, b) => a * b, 1) * bits) / 8;
}

/**
 * The most bytes a chunk of the array can take as stored, for a store that inflates what it holds
 * (a zip) to stop at: twice its decoded size and a little, past any codec's overhead and a filter
 * that widens its type. Undefined for strings, whose size the metadata does not bound.
 */
function storedChunkBound(array: ZarrArray): number | undefined {
  const decoded = decodedChunkBytes(array);
  return decoded > 0 ? 2 * decoded + 65_536 : undefined;
}

const localDecoder = new ChunkDecoder();

/** Chunks stored as they are (Zarr v2 without compressor or filters: CmdStan's and NetCDF's virtual stores): nothing for a worker to do. */
const storedAsIs = (meta: StoredMetadata) => meta.format === 2 && meta.doc.compressor == null && !(meta.doc.filters as unknown[] | null)?.length;

interface StoredMetadata {
  format: 2 | 3;
  bytes: Uint8Array;
  doc: Record<string, unknown>;
}

const metadataCache = new WeakMap<ZarrArray, Promise<StoredMetadata | undefined>>();
const knownFormats = new WeakMap<ZarrArray, 2 | 3>();

/** Record the Zarr format an array was opened as, so its metadata is read without probing. */
export function rememberFormat(array: ZarrArray, format: 2 | 3): ZarrArray {
  knownFormats.set(array, format);
  return array;
}

/** The array's own metadata document, as its store serves it (for a decode worker to rebuild it). */
function storedMetadata(array: ZarrArray): Promise<StoredMetadata | undefined> {
  let cached = metadataCache.get(array);
  if (!cached) {
    cached = (async () => {
      const names = [
        [3, "zarr.json"],
        [2, ".zarray"],
      ] as const;
      const known = knownFormats.get(array);
      for (const [format, name] of known ? names.filter(([f]) => f === known) : names) {
        const bytes = await array.store.get(`${array.path}/${name}` as zarr.AbsolutePath);
        if (bytes) return { format, bytes, doc: JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown> };
      }
      return undefined;
    })();
    metadataCache.set(array, cached);
  }
  return cached;
}

/** The store key of a chunk, as Zarr's chunk key encodings define it. */
function chunkKey(meta: StoredMetadata, coords: readonly number[]): string {
  if (meta.format === 2) {
    const separator = (meta.doc.dimension_separator as string | undefined) ?? ".";
    return coords.length ? coords.join(separator) : "0";
  }
  const encoding = (meta.doc.chunk_key_encoding ?? { name: "default" }) as { name: string; configuration?: { separator?: string } };
  const separator = encoding.configuration?.separator ?? (encoding.name === "v2" ? "." : "/");
  if (encoding.name === "v2") return coords.length ? coords.join(separator) : "0";
  return ["c", ...coords].join(separator);
}

function isSharded(meta: StoredMetadata): boolean {
  return meta.format === 3 && (meta.doc.codecs as { name: string }[] | undefined)?.some((c) => c.name === "sharding_indexed") === true;
}

/**
 * Read and decode one chunk; chunks the writer skipped because they equal the fill value read as
 * it. With a pool, large chunks are decoded on its workers.
 */
export async function readChunk(array: ZarrArray, coords: number[], options: ReadOptions = {}): Promise<DecodedChunk> {
  const { signal, pool, progress, remote } = options;
  try {
    const meta = await storedMetadata(array);
    if (meta && !isSharded(meta)) {
      const key = `${array.path}/${chunkKey(meta, coords)}`;
      const at = { format: meta.format, metadata: meta.bytes, coords, asBool: storesBool(array), where: array.path };
      // A large chunk of a folder over HTTP is fetched by the worker that decodes it.
      const url = pool && remote && decodedChunkBytes(array) >= MIN_POOLED_BYTES ? remote.chunkUrl(key) : undefined;
      if (url && pool && remote) {
        const fetched = await pool.fetchDecode({ ...at, url, keepBelow: remote.keepBelow, maxBytes: storedChunkBound(array) }, signal);
        if (fetched) {
          if (fetched.keep) remote.remember(key, fetched.keep);
          progress?.chunkRead(array, fetched.storedBytes);
          return fetched.chunk;
        }
        // Not there: remembered as absent, so reading it as the fill value below asks nothing again.
        remote.remember(key, undefined);
      }
      const getOptions: ChunkGetOptions = { signal, maxBytes: storedChunkBound(array) };
      const bytes = url ? undefined : await array.store.get(key as zarr.AbsolutePath, getOptions);
      if (bytes) {
        const job = { ...at, bytes };
        const size = bytes.byteLength;
        const decoded = await (pool && size >= MIN_POOLED_BYTES && !storedAsIs(meta) ? pool.decode(job) : localDecoder.decode(job));
        progress?.chunkRead(array, size);
        return decoded;
      }
      // A chunk the writer left out reads as the fill value; without one nothing says what it holds.
      if (array.fillValue === null || array.fillValue === undefined) {
        const path = array.path.replace(/^\//, "");
        throw new StoreError(`chunk ${coords.join(".")} of ${path} is missing, and the array has no fill value to stand for it: the store is incomplete; copy it again.`, path);
      }
    }
    const chunk = await array.getChunk(coords, { signal }).catch((error: unknown) => {
      throw damagedChunk(error, array.path, coords);
    });
    checkDecodedLength(array.path, coords, (chunk.data as ArrayLike<unknown>).length, chunk.shape);
    progress?.chunkRead(array, 0);
    return { values: toColumnData(chunk.data, array.path, storesBool(array)), stride: chunk.stride };
  } catch (cause) {
    if ((cause as Error).name === "AbortError" || isDrawscopeError(cause)) throw cause;
    const path = array.path.replace(/^\//, "");
    throw new StoreError(`cannot read chunk ${coords.join(".")} of ${path}: ${(cause as Error).message}`, path);
  }
}

/**
 * Copy the part of a decoded chunk that lies inside the array into `out` (C order over the whole
 * array). Contiguous runs are copied with `TypedArray.set`.
 */
export function copyChunkInto(out: ColumnData, outShape: readonly number[], chunk: DecodedChunk, origin: readonly number[], extent: readonly number[]): void {
  const rank = outShape.length;
  const outStride = cStrides(outShape);
  if (rank === 0) {
    copyRun(out, 0, chunk.values, 0, 1);
    return;
  }
  // Inner run: along the last axis when the chunk stores it contiguously, else element by element.
  const runLength = chunk.stride[rank - 1] === 1 ? extent[rank - 1] : 1;
  const outer = extent.slice(0, rank - 1);
  const runs = outer.reduce((a, b) => a * b, 1) * (extent[rank - 1] / runLength);
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < runs; r++) {
    let src = 0;
    let dst = 0;
    for (let k = 0; k < rank; k++) {
      src += idx[k] * chunk.stride[k];
      dst += (origin[k] + idx[k]) * outStride[k];
    }
    copyRun(out, dst, chunk.values, src, runLength);
    const lastStep = runLength === 1 ? rank - 1 : rank - 2;
    for (let k = lastStep; k >= 0; k--) {
      if (++idx[k] < extent[k]) break;
      idx[k] = 0;
    }
  }
}

/** Copy `length` consecutive values of `src` from `from` into `out` at `dst`. */
export function copyRun(out: ColumnData, dst: number, src: ColumnData, from: number, length: number): void {
  if (out.kind === "string") {
    const s = src.data as string[];
    for (let i = 0; i < length; i++) out.data[dst + i] = s[from + i];
  } else {
    (out.data as Uint8Array).set((src.data as Uint8Array).subarray(from, from + length), dst);
  }
}

/** The region of chunk `coords` that lies inside the array: where it starts, and how far it extends. */
export function chunkRegion(array: ZarrArray, coords: readonly number[]): { origin: number[]; extent: number[] } {
  const origin = coords.map((c, k) => c * array.chunks[k]);
  const extent = origin.map((o, k) => Math.min(array.chunks[k], array.shape[k] - o));
  return { origin, extent };
}

/** Chunks of one array `readWhole` reads at once. */
const WHOLE_READS = 8;

/** Read a whole array (a coordinate: small) into one C-ordered container. */
export async function readWhole(array: ZarrArray, options: ReadOptions = {}): Promise<ColumnData> {
  const shape = array.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  let out: ColumnData | undefined;
  await mapLimit([...chunkCoords(chunkGrid(array))], WHOLE_READS, async (coords) => {
    const chunk = await readChunk(array, coords, options);
    out ??= allocateLike(chunk.values, size);
    const { origin, extent } = chunkRegion(array, coords);
    copyChunkInto(out, shape, chunk, origin, extent);
  });
  if (!out) throw new StoreError(`${array.path} has no elements`, array.path);
  return out;
}
