import { cStrides } from "./read.ts";

/** Bytes a decoded value takes at most: numbers decode to 8 bytes or fewer (int64 becomes float64). */
const VALUE_BYTES = 8;

/**
 * Bytes of decoded chunks and gathered draws one variable's diagnosis holds at once (unless one
 * chunk alone is bigger): what keeps a worker's memory bounded whatever the variable's size. The
 * chunks' copies in the decoding workers and the engine itself come on top, so this leaves room
 * for them under 1 GiB; it still holds a chunk column of 10,000 elements × 4,000 draws whole.
 */
export const MEMORY_BOUND = 384 * 2 ** 20;

/** How a variable is read for its diagnostics, within a memory bound. */
export interface ReadBudget {
  /** Chunk reads in flight. */
  readsInFlight: number;
  /** Blocks held at once: two when they fit, so the next block is read while one is computed. */
  blocksInFlight: number;
  /** The most values (elements × draws per element) one block gathers. */
  blockValues: number;
}

/**
 * Share `memoryBound` between the chunks being read (an eighth, up to `maxReads` chunks) and the
 * blocks of draws gathered from them: two blocks, so reading one hides behind computing the
 * other, when the largest chunk column (`columnValues`, the least a block must hold to read each
 * chunk once) fits in half of what is left; else one. A chunk bigger than the bound is read one at
 * a time, and blocks then still get a quarter of the bound, so elements are not cut so fine that
 * chunks are re-read element by element.
 */
export function readBudget(chunkShape: readonly number[], valuesPerElement: number, columnValues: number, memoryBound: number, maxReads: number): ReadBudget {
  const chunkBytes = chunkShape.reduce((a, b) => a * b, 1) * VALUE_BYTES;
  const readsInFlight = Math.min(maxReads, Math.max(1, Math.floor(memoryBound / 8 / chunkBytes)));
  const left = Math.max(memoryBound - readsInFlight * chunkBytes, memoryBound / 4);
  const blocksInFlight = 2 * columnValues * VALUE_BYTES <= left ? 2 : 1;
  return { readsInFlight, blocksInFlight, blockValues: Math.max(valuesPerElement, Math.floor(left / blocksInFlight / VALUE_BYTES)) };
}

/** A target is read in at least this many blocks when its chunk columns allow… */
const BLOCKS_AT_LEAST = 4;
/** …and those blocks hold at least this many values (32 MB): a smaller target is read quickly anyway. */
const SHARE_FLOOR = 1 << 22;

/**
 * The most values one block of a target (`targetValues` in all) gathers: what the budget allows,
 * but at most a quarter of the target, since no work starts before the first block is read; never
 * less than the largest chunk column (each chunk read once) or SHARE_FLOOR.
 */
export function blockValuesOf(budgetValues: number, columnValues: number, targetValues: number): number {
  return Math.min(budgetValues, Math.max(columnValues, Math.ceil(targetValues / BLOCKS_AT_LEAST), SHARE_FLOOR));
}

/** The values of the largest chunk column: a run of `runs[0]` by every label of the other dimensions. */
export function columnValues(runs: readonly (readonly [number, number][])[], valuesPerElement: number): number {
  if (!runs.length) return valuesPerElement;
  const inner = runs.slice(1).reduce((n, r) => n * (r.length ? r[r.length - 1][1] : 0), 1);
  return Math.max(0, ...runs[0].map(([start, end]) => end - start)) * inner * valuesPerElement;
}

/**
 * Cut a dimension's picked labels (positions `picks` along an axis of `chunkSize`) into runs of
 * consecutive labels held by one chunk: `[start, end)` positions among the picks.
 */
export function chunkRuns(picks: ArrayLike<number>, chunkSize: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < picks.length; i++) {
    const chunk = Math.floor(picks[i] / chunkSize);
    if (i > 0 && chunk === Math.floor(picks[i - 1] / chunkSize)) runs[runs.length - 1][1] = i + 1;
    else runs.push([i, i + 1]);
  }
  return runs;
}

/**
 * Consecutive elements of a target (C order over its labels), read and diagnosed together: a
 * box with one label along the dimensions before some dimension, a run of labels along it, and
 * every label along the ones after.
 */
export interface ElementBlock {
  from: number;
  count: number;
  /** Per own dimension, the `[start, end)` positions of the block's labels among the target's. */
  ranges: [number, number][];
}

/**
 * Cut a target's elements into blocks of at most `blockValues` values (at least one element
 * each), aligned to the chunks of every own dimension: along the outermost dimension whose chunk
 * column fits, a block is a run of whole chunk columns, or an even part of one that is too big,
 * so each chunk is read by as few blocks as the bound allows. `runs[k]`: dimension k's labels
 * cut by chunk (`chunkRuns`).
 */
export function planBlocks(runs: readonly (readonly [number, number][])[], valuesPerElement: number, blockValues: number): ElementBlock[] {
  const sizes = runs.map((r) => (r.length ? r[r.length - 1][1] : 0));
  if (sizes.some((n) => n === 0)) return [];
  if (!sizes.length) return [{ from: 0, count: 1, ranges: [] }];
  const strides = cStrides(sizes);
  const blocks: ElementBlock[] = [];
  const emit = (ranges: [number, number][]) => {
    const from = ranges.reduce((at, [start], k) => at + start * strides[k], 0);
    blocks.push({ from, count: ranges.reduce((n, [start, end]) => n * (end - start), 1), ranges });
  };
  const visit = (k: number, prefix: [number, number][]) => {
    const rest = sizes.slice(k + 1);
    const inner = rest.reduce((a, b) => a * b, 1) * valuesPerElement;
    const whole = rest.map((n): [number, number] => [0, n]);
    // Whole chunk columns that fit, waiting to be joined by the next ones.
    let open: [number, number] | undefined;
    const flush = () => {
      if (open) emit([...prefix, open, ...whole]);
      open = undefined;
    };
    for (const [start, end] of runs[k]) {
      if (inner > blockValues && k < sizes.length - 1) {
        for (let at = start; at < end; at++) visit(k + 1, [...prefix, [at, at + 1]]);
      } else if ((end - start) * inner > blockValues) {
        flush();
        const pieces = Math.ceil(((end - start) * inner) / blockValues);
        const step = Math.ceil((end - start) / pieces);
        for (let at = start; at < end; at += step) emit([...prefix, [at, Math.min(end, at + step)], ...whole]);
      } else if (open && (end - open[0]) * inner <= blockValues) {
        open[1] = end;
      } else {
        flush();
        open = [start, end];
      }
    }
    flush();
  };
  visit(0, []);
  return blocks;
}

/**
 * Cut a block into at most `parts` slabs of consecutive elements, along its first dimension with
 * more than one label (the dimensions before it have one, those after it every label, so each slab
 * is a box too), as evenly as its labels allow.
 */
export function splitBlock(block: ElementBlock, parts: number): ElementBlock[] {
  const k = block.ranges.findIndex(([start, end]) => end - start > 1);
  if (k < 0 || parts <= 1) return [block];
  const [start, end] = block.ranges[k];
  const perLabel = block.count / (end - start);
  const step = Math.ceil((end - start) / Math.min(parts, end - start));
  const slabs: ElementBlock[] = [];
  for (let at = start; at < end; at += step) {
    const stop = Math.min(end, at + step);
    const ranges = block.ranges.map((r, j): [number, number] => (j === k ? [at, stop] : r));
    slabs.push({ from: block.from + (at - start) * perLabel, count: (stop - at) * perLabel, ranges });
  }
  return slabs;
}
