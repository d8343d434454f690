import type { ColumnData } from "./column-data.ts";
import type { DecodedChunk } from "./decode/job.ts";
import { giveBackLent } from "./decode/spare-buffers.ts";
import { mapLimit } from "./limit.ts";
import { copyRun, readChunk, type ReadOptions, type ZarrArray } from "./read.ts";

/** Where one chunk's picked elements go along one axis: output positions, and offsets inside the chunk. */
export interface AxisPart {
  out: Int32Array;
  within: Int32Array;
  /** Consecutive in both, so the part copies as one run when the axis is the chunk's contiguous one. */
  run: boolean;
}

/** The picks along one axis, split by the chunk that holds them; chunk indices ascending. */
export interface AxisPlan {
  chunks: number[];
  parts: Map<number, AxisPart>;
  /** How many picks. */
  length: number;
}

/** Split the indices an axis picks (in output order) by the chunk of `chunkSize` that holds each. */
export function planAxis(indices: ArrayLike<number>, chunkSize: number): AxisPlan {
  const byChunk = new Map<number, { out: number[]; within: number[] }>();
  for (let j = 0; j < indices.length; j++) {
    const c = Math.floor(indices[j] / chunkSize);
    let part = byChunk.get(c);
    if (!part) byChunk.set(c, (part = { out: [], within: [] }));
    part.out.push(j);
    part.within.push(indices[j] - c * chunkSize);
  }
  const parts = new Map<number, AxisPart>();
  for (const [c, { out, within }] of byChunk) {
    const run = out.every((o, i) => o - out[0] === i && within[i] - within[0] === i);
    parts.set(c, { out: Int32Array.from(out), within: Int32Array.from(within), run });
  }
  return { chunks: [...parts.keys()].sort((a, b) => a - b), parts, length: indices.length };
}

/** What reading a selection of an array takes: per axis, its chunks and picks; the output's shape. */
export interface SelectionPlan {
  axes: AxisPlan[];
  shape: number[];
  /** How many chunks the selection touches (each is read once). */
  chunkCount: number;
}

/** What reading picks along each axis takes: the chunks and the output's shape. */
export function selectionOf(axes: AxisPlan[]): SelectionPlan {
  const shape = axes.map((a) => a.length);
  const chunkCount = shape.every((n) => n > 0) ? axes.reduce((n, a) => n * a.chunks.length, 1) : 0;
  return { axes, shape, chunkCount };
}

/** Plan reading the elements `picks` names (`picks[a]`: indices along axis a, in the order wanted). */
export function planSelection(array: ZarrArray, picks: readonly ArrayLike<number>[]): SelectionPlan {
  return selectionOf(picks.map((p, a) => planAxis(p, array.chunks[a])));
}

/** Every chunk a selection touches: the product of each axis' chunks, in C order. */
export function selectionChunks(plan: Pick<SelectionPlan, "axes">): number[][] {
  let out: number[][] = [[]];
  for (const axis of plan.axes) out = out.flatMap((prefix) => axis.chunks.map((c) => [...prefix, c]));
  return out;
}

/**
 * Elements of the last axis copied per pass over the other axes when the output is not contiguous
 * along it: few enough that the output lines they write stay in cache from one row to the next.
 */
const TILE = 64;

/**
 * Runs at least this long are copied with TypedArray.set; shorter ones by a loop, which costs less
 * than making the subarray `set` takes (a slab of 64 elements read draw after draw gets one such
 * run per chunk row).
 */
const SET_FROM = 512;

/**
 * Picks `start..end` of a run (consecutive in the chunk and in the output), float64 to float64
 * (the usual values), in a loop of its own: the generic loop looks up each pick's positions and
 * its element accesses see every column type, which makes it about twice as slow.
 */
function copyFloat64Run(dst: Float64Array, dstBase: number, step: number, src: Float64Array, srcBase: number, srcStep: number, start: number, end: number): void {
  for (let i = start; i < end; i++) dst[dstBase + i * step] = src[srcBase + i * srcStep];
}

/**
 * Copy the picked elements of one decoded chunk into `out`, a grid of the picks with element
 * strides `outStrides` per axis (C order for a table; any order, e.g. draws per element, for others).
 */
export function scatter(out: ColumnData, outStrides: readonly number[], chunk: DecodedChunk, parts: readonly AxisPart[]): void {
  const rank = parts.length;
  if (rank === 0) {
    copyRun(out, 0, chunk.values, 0, 1);
    return;
  }
  const last = rank - 1;
  const inner = parts[last];
  const src = chunk.values.data as ArrayLike<unknown>;
  const dst = out.data as unknown[];
  const step = outStrides[last];
  const srcStep = chunk.stride[last];
  const asRun = inner.run && srcStep === 1 && step === 1;
  const float64 = dst instanceof Float64Array && src instanceof Float64Array;
  const idx = new Array<number>(rank).fill(0);
  const outer = parts.slice(0, last).reduce((n, p) => n * p.out.length, 1);
  // Into a transposed output (draws per element), a row's elements land far apart: copy the last
  // axis a tile at a time over every row, so each output line gets consecutive values.
  const tile = step === 1 ? inner.out.length : TILE;
  for (let start = 0; start < inner.out.length; start += tile) {
    const end = Math.min(inner.out.length, start + tile);
    for (let r = 0; r < outer; r++) {
      let dstBase = 0;
      let srcBase = 0;
      for (let k = 0; k < last; k++) {
        dstBase += parts[k].out[idx[k]] * outStrides[k];
        srcBase += parts[k].within[idx[k]] * chunk.stride[k];
      }
      if (asRun && float64 && inner.out.length < SET_FROM) copyFloat64Run(dst as Float64Array, dstBase + inner.out[0], 1, src as Float64Array, srcBase + inner.within[0], 1, 0, inner.out.length);
      else if (asRun) copyRun(out, dstBase + inner.out[0], chunk.values, srcBase + inner.within[0], inner.out.length);
      else if (float64 && inner.run) copyFloat64Run(dst as Float64Array, dstBase + inner.out[0] * step, step, src as Float64Array, srcBase + inner.within[0] * srcStep, srcStep, start, end);
      else for (let i = start; i < end; i++) dst[dstBase + inner.out[i] * step] = src[srcBase + inner.within[i] * srcStep];
      for (let k = last - 1; k >= 0; k--) {
        if (++idx[k] < parts[k].out.length) break;
        idx[k] = 0;
      }
    }
  }
}

/** One output a selection is read into: its values laid out with `strides` per axis (as `scatter` takes them), and its plan. */
export interface SelectionTarget {
  out: ColumnData;
  strides: readonly number[];
  plan: SelectionPlan;
}

const chunkKey = (coords: readonly number[]) => coords.join(",");

/**
 * Read planned selections of one array, each into its own output: every chunk any of them touches
 * is read once, `concurrency` at a time, copied from into each output it holds picks of, and dropped
 * (its buffer given back when it was lent for reuse: see decode/spare-buffers.ts).
 */
export async function readSelectionsInto(targets: readonly SelectionTarget[], array: ZarrArray, read: ReadOptions, concurrency: number): Promise<void> {
  const chunks = new Map<string, number[]>();
  for (const { plan } of targets) for (const coords of selectionChunks(plan)) chunks.set(chunkKey(coords), coords);
  await mapLimit([...chunks.values()], concurrency, async (coords) => {
    const chunk = await readChunk(array, coords, read);
    for (const { out, strides, plan } of targets) {
      const parts = coords.map((c, a) => plan.axes[a].parts.get(c));
      if (parts.every((p) => p)) scatter(out, strides, chunk, parts as AxisPart[]);
    }
    // A chunk stored as it is can be a view of the stored bytes' buffer, read into one lent for
    // reuse; one buffer goes back one way only (a pool on this thread, in tests, decodes into lent ones).
    if (!read.pool?.recycle(chunk) && chunk.values.kind !== "string") giveBackLent(chunk.values.data.buffer);
  });
}
