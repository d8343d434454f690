import { drawLayout, readBlockDraws, type SlabDraws, type SlabOrder } from "./block-draws.ts";
import type { DiagnosticTarget } from "./diagnose.ts";
import { blockValuesOf, chunkRuns, columnValues, MEMORY_BOUND, planBlocks, readBudget, splitBlock, type ElementBlock } from "./diagnose-blocks.ts";
import { keepDraws, keepOnly, takeDraws } from "./draw-buffers.ts";
import type { Label } from "./domain.ts";
import type { WorkPool } from "./pool/pool.ts";
import { labelsOf } from "./query-plan.ts";
import type { ZarrArray } from "./read.ts";
import type { OpenedTree } from "./tree.ts";

export const elementCount = (t: DiagnosticTarget) => t.labels.reduce((n, l) => n * l.length, 1);

/** The labels of the target's elements [from, to), in C order over its labels. */
export function elementLabels(target: DiagnosticTarget, from: number, to: number): Label[][] {
  const labels = target.labels.map(() => new Array<Label>(to - from));
  for (let e = from; e < to; e++) {
    let rest = e;
    for (let k = target.labels.length - 1; k >= 0; k--) {
      const n = target.labels[k].length;
      const i = rest % n;
      rest = (rest - i) / n;
      labels[k][e - from] = target.labels[k][i];
    }
  }
  return labels;
}

/** Per own dimension of the target, the positions of its labels along the variable's axis. */
function labelPositions(opened: OpenedTree, target: DiagnosticTarget): Int32Array[] {
  return target.dims.map((d, k) => {
    const index = new Map(labelsOf(opened, target.variable.group, d).map((l, i) => [l, i]));
    return Int32Array.from(target.labels[k], (l) => index.get(l)!);
  });
}

/**
 * A block of a target's elements and all their draws, in slabs of consecutive elements (in order)
 * that each have their own buffer, in the order asked for (element after element unless told): a
 * slab moves to a worker whole, and a job that gives its buffer back puts it in `slab.draws` for
 * a later block.
 */
export interface BlockDraws {
  block: ElementBlock;
  slabs: SlabDraws[];
  chains: number;
  perElement: number;
}

/** The most elements in a slab read draw after draw. */
const DRAW_ORDER_SLAB = 64;

/**
 * A block's slabs, each in the buffer the same slab of an earlier block had (`held`) when it is
 * the length needed (slabs of a run of blocks mostly are), else in one from draw-buffers.ts.
 */
function slabsOf(slabs: readonly ElementBlock[], perElement: number, held: readonly SlabDraws[]): SlabDraws[] {
  return slabs.map((slab, i) => {
    const length = slab.count * perElement;
    const draws = held[i]?.draws;
    return { block: slab, draws: draws?.length === length ? draws : takeDraws(length) };
  });
}

/**
 * How many buffers of each length slabsOf takes for the first blocks, one per set of buffers
 * (`slots`): those are taken at the start. A later block whose slabs differ (the last, shorter one)
 * takes new ones when it comes, as it would without kept buffers, rather than have them held
 * beside both sets from the start.
 */
function takesOf(blockSlabs: readonly (readonly ElementBlock[])[], perElement: number, slots: number): Map<number, number> {
  const takes = new Map<number, number>();
  for (const slabs of blockSlabs.slice(0, slots)) {
    for (const slab of slabs) takes.set(slab.count * perElement, (takes.get(slab.count * perElement) ?? 0) + 1);
  }
  return takes;
}

/**
 * A target's elements in blocks aligned to its chunks (only the chunks holding its labels),
 * within `memoryBound` bytes of chunks and draws. When two blocks of the largest chunk column fit
 * the bound, the next block is read while the caller works on one (which hides the reads behind
 * the pool's work); else one block at a time. A block is cut into two slabs per pool worker (one
 * without a pool), or more of DRAW_ORDER_SLAB elements read draw after draw, so its jobs move
 * their draws to the workers without a copy. Blocks of a large target hold at most a quarter of it
 * (blockValuesOf), so that the work starts after a quarter of the reading rather than half. A
 * block's draws stay valid until the next block is asked for (the one after it is then read into
 * the same buffers). Once the blocks are done or the caller stops, the buffers are kept for the
 * next computation (draw-buffers.ts).
 */
export async function* targetBlocks(
  opened: OpenedTree,
  target: DiagnosticTarget,
  options: { pool?: WorkPool; signal?: AbortSignal; memoryBound?: number; order?: SlabOrder },
): AsyncGenerator<BlockDraws> {
  const { pool, signal, memoryBound = MEMORY_BOUND, order } = options;
  const { variable } = target;
  const array = opened.arrays.get(`${variable.group}/${variable.name}`) as ZarrArray;
  const positions = labelPositions(opened, target);
  const layout = drawLayout(variable, target.dims, positions);
  const perElement = layout.chains * layout.draws;
  // As extraction reads: enough chunks in flight to keep every decode worker busy.
  const maxReads = Math.max(8, 2 * (pool?.size ?? 0));
  const runs = positions.map((p, k) => chunkRuns(p, array.chunks[variable.dims.indexOf(target.dims[k])]));
  const budget = readBudget(array.chunks, perElement, columnValues(runs, perElement), memoryBound, maxReads);
  const blocks = planBlocks(runs, perElement, blockValuesOf(budget.blockValues, columnValues(runs, perElement), elementCount(target) * perElement));
  // Draw after draw, narrow slabs: the job that transposes one reads several of its rows per memory page.
  const blockSlabs = blocks.map((block) => splitBlock(block, Math.max(pool ? 2 * pool.size : 1, order === "draws" ? Math.ceil(block.count / DRAW_ORDER_SLAB) : 1)));
  keepOnly(takesOf(blockSlabs, perElement, budget.blocksInFlight));
  // One set of buffers per block in flight: block k is read into set k mod blocksInFlight.
  const slots: SlabDraws[][] = Array.from({ length: budget.blocksInFlight }, () => []);
  /**
   * The slot a block is being read into, until its read is done. A read that failed stays marked:
   * its other chunks' reads may still be scattering into its buffers.
   */
  let filling: number | undefined;
  const read = (k: number): Promise<SlabDraws[]> => {
    const slot = k % budget.blocksInFlight;
    const slabs = (slots[slot] = slabsOf(blockSlabs[k], perElement, slots[slot]));
    filling = slot;
    // Chunks of a folder over HTTP are fetched by the workers that decode them, which spreads the
    // cost of receiving them (in Chromium, more than decoding) over the workers.
    const reading = readBlockDraws(slabs, array, layout, { signal, pool, remote: opened.remote }, budget.readsInFlight, order).then(() => slabs);
    // Awaited when its block is asked for; meanwhile this marks it done (and a failure handled).
    reading.then(
      () => (filling = undefined),
      () => undefined,
    );
    return reading;
  };
  try {
    let next = blocks.length ? read(0) : undefined;
    for (let k = 0; k < blocks.length; k++) {
      signal?.throwIfAborted();
      const slabs = await next!;
      next = k + 1 < blocks.length && budget.blocksInFlight === 2 ? read(k + 1) : undefined;
      yield { block: blocks[k], slabs, chains: layout.chains, perElement };
      if (k + 1 < blocks.length && !next) next = read(k + 1);
    }
  } finally {
    // For the next computation: every buffer but those a read may still write into (stopped early, or failed).
    keepDraws(slots.flatMap((slabs, slot) => (slot === filling ? [] : slabs.map((s) => s.draws))));
  }
}
