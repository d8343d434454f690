import { drawLayout, readBlockDraws } from "./block-draws.ts";
import type { DiagnosticTarget } from "./diagnose.ts";
import { chunkRuns, columnValues, MEMORY_BOUND, planBlocks, readBudget, type ElementBlock } from "./diagnose-blocks.ts";
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

/** A block of a target's elements and all their draws: element i's are `draws[i·perElement, (i+1)·perElement)`, chain after chain. */
export interface BlockDraws {
  block: ElementBlock;
  draws: Float64Array;
  chains: number;
  perElement: number;
}

/**
 * Buffers for blocks' draws, reused from block to block and from variable to variable, grown when
 * a block needs more: a fresh one per block would leave the last to the collector, so more blocks
 * could be held at once. One per block in flight.
 */
export type BlockBuffers = [Float64Array, Float64Array];

export const blockBuffers = (): BlockBuffers => [new Float64Array(0), new Float64Array(0)];

/**
 * A target's elements in blocks aligned to its chunks (only the chunks holding its labels),
 * within `memoryBound` bytes of chunks and draws. When two blocks of the largest chunk column fit
 * the bound, the next block is read while the caller works on one (which hides the reads behind
 * the pool's work); else one block at a time. A block's draws stay valid until the next block is
 * asked for (the one after it is then read into the same buffer).
 */
export async function* targetBlocks(
  opened: OpenedTree,
  target: DiagnosticTarget,
  options: { pool?: WorkPool; signal?: AbortSignal; memoryBound?: number; buffers?: BlockBuffers },
): AsyncGenerator<BlockDraws> {
  const { pool, signal, memoryBound = MEMORY_BOUND, buffers = blockBuffers() } = options;
  const { variable } = target;
  const array = opened.arrays.get(`${variable.group}/${variable.name}`) as ZarrArray;
  const positions = labelPositions(opened, target);
  const layout = drawLayout(variable, target.dims, positions);
  const perElement = layout.chains * layout.draws;
  // As extraction reads: enough chunks in flight to keep every decode worker busy.
  const maxReads = Math.max(8, 2 * (pool?.size ?? 0));
  const runs = positions.map((p, k) => chunkRuns(p, array.chunks[variable.dims.indexOf(target.dims[k])]));
  const budget = readBudget(array.chunks, perElement, columnValues(runs, perElement), memoryBound, maxReads);
  // Read one block at a time, a variable drops the second buffer one before it used.
  if (budget.blocksInFlight === 1) buffers[1] = new Float64Array(0);
  const blocks = planBlocks(runs, perElement, budget.blockValues);
  const read = (k: number): Promise<Float64Array> => {
    const slot = k % budget.blocksInFlight;
    if (buffers[slot].length < blocks[k].count * perElement) buffers[slot] = new Float64Array(blocks[k].count * perElement);
    const reading = readBlockDraws(buffers[slot], array, layout, blocks[k], { signal, pool }, budget.readsInFlight);
    // Awaited when its block is asked for; a failure meanwhile is not unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = blocks.length ? read(0) : undefined;
  for (let k = 0; k < blocks.length; k++) {
    signal?.throwIfAborted();
    const draws = await next!;
    next = k + 1 < blocks.length && budget.blocksInFlight === 2 ? read(k + 1) : undefined;
    yield { block: blocks[k], draws, chains: layout.chains, perElement };
    if (k + 1 < blocks.length && !next) next = read(k + 1);
  }
}
