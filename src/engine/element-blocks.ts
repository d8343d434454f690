import { drawLayout, readBlockDraws } from "./block-draws.ts";
import type { DiagnosticTarget } from "./diagnose.ts";
import { chunkRuns, MEMORY_BOUND, planBlocks, readBudget, type ElementBlock } from "./diagnose-blocks.ts";
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
 * A target's elements in blocks aligned to its chunks (only the chunks holding its labels), one
 * block at a time within `memoryBound` bytes of chunks and draws. The blocks share one buffer,
 * grown when a block needs more (a fresh one per block would leave the last to the collector, so
 * two could be held at once): a block's draws are valid until the next block is asked for.
 */
export async function* targetBlocks(
  opened: OpenedTree,
  target: DiagnosticTarget,
  options: { pool?: WorkPool; signal?: AbortSignal; memoryBound?: number },
): AsyncGenerator<BlockDraws> {
  const { pool, signal, memoryBound = MEMORY_BOUND } = options;
  const { variable } = target;
  const array = opened.arrays.get(`${variable.group}/${variable.name}`) as ZarrArray;
  const positions = labelPositions(opened, target);
  const layout = drawLayout(variable, target.dims, positions);
  const perElement = layout.chains * layout.draws;
  // As extraction reads: enough chunks in flight to keep every decode worker busy.
  const maxReads = Math.max(8, 2 * (pool?.size ?? 0));
  const { readsInFlight, blockValues } = readBudget(array.chunks, perElement, memoryBound, maxReads);
  const runs = positions.map((p, k) => chunkRuns(p, array.chunks[variable.dims.indexOf(target.dims[k])]));
  let scratch = new Float64Array(0);
  for (const block of planBlocks(runs, perElement, blockValues)) {
    signal?.throwIfAborted();
    if (scratch.length < block.count * perElement) scratch = new Float64Array(block.count * perElement);
    const draws = await readBlockDraws(scratch, array, layout, block, { signal, pool }, readsInFlight);
    yield { block, draws, chains: layout.chains, perElement };
  }
}
