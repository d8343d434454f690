import type * as zarr from "zarrita";
import { allocateLike, toColumnData, type ColumnData } from "./column-data.ts";
import { StoreError } from "./errors.ts";

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

export interface DecodedChunk {
  values: ColumnData;
  /** Element strides of `values`, usually C order over the full chunk shape. */
  stride: number[];
}

/** Read and decode one chunk; chunks the writer skipped because they equal the fill value read as it. */
export async function readChunk(array: ZarrArray, coords: number[], signal?: AbortSignal): Promise<DecodedChunk> {
  let chunk: zarr.Chunk<zarr.DataType>;
  try {
    chunk = await array.getChunk(coords, { signal });
  } catch (cause) {
    if ((cause as Error).name === "AbortError") throw cause;
    throw new StoreError(`cannot read chunk ${coords.join(".")} of ${array.path}: ${(cause as Error).message}`, array.path);
  }
  return { values: toColumnData(chunk.data, array.path, storesBool(array)), stride: chunk.stride };
}

/**
 * Copy the part of a decoded chunk that lies inside the array into `out` (C order over the whole
 * array). Contiguous runs are copied with `TypedArray.set`.
 */
export function copyChunkInto(
  out: ColumnData,
  outShape: readonly number[],
  chunk: DecodedChunk,
  origin: readonly number[],
  extent: readonly number[],
): void {
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

function copyRun(out: ColumnData, dst: number, src: ColumnData, from: number, length: number): void {
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

/** Read a whole array into one C-ordered container. */
export async function readWhole(array: ZarrArray, signal?: AbortSignal): Promise<ColumnData> {
  const shape = array.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  let out: ColumnData | undefined;
  const chunks = [...chunkCoords(chunkGrid(array))];
  await Promise.all(
    chunks.map(async (coords) => {
      const chunk = await readChunk(array, coords, signal);
      out ??= allocateLike(chunk.values, size);
      const { origin, extent } = chunkRegion(array, coords);
      copyChunkInto(out, shape, chunk, origin, extent);
    }),
  );
  if (!out) throw new StoreError(`${array.path} has no elements`, array.path);
  return out;
}
