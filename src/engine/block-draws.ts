import type { ElementBlock } from "./diagnose-blocks.ts";
import { cStrides, type ReadOptions, type ZarrArray } from "./read.ts";
import { planSelection, readSelectionsInto } from "./read-selection.ts";
import type { VariableInfo } from "./tree.ts";

/** Where each element's draws lie in a variable's array. */
export interface DrawLayout {
  chains: number;
  draws: number;
  /**
   * Per array axis, the indices every element reads: all chains, all draws, index 0 of any other
   * sample dimension, and along an own dimension the positions of the target's labels.
   */
  picks: Int32Array[];
  /** Per array axis, the own dimension (in the target's order) it is, or -1. */
  ownDim: number[];
  chainAxis: number;
  drawAxis: number;
}

const upTo = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** The layout of a variable whose own dimensions `dims` pick the label positions `positions`. */
export function drawLayout(variable: VariableInfo, dims: readonly string[], positions: readonly Int32Array[]): DrawLayout {
  const chainAxis = variable.dims.indexOf("chain");
  const drawAxis = variable.dims.indexOf("draw");
  const ownDim = variable.dims.map((d) => dims.indexOf(d));
  const picks = variable.shape.map((n, axis) => {
    if (ownDim[axis] >= 0) return positions[ownDim[axis]];
    return axis === chainAxis || axis === drawAxis ? upTo(n) : upTo(1);
  });
  return { chains: chainAxis < 0 ? 1 : variable.shape[chainAxis], draws: variable.shape[drawAxis], picks, ownDim, chainAxis, drawAxis };
}

/** A part of a block (consecutive elements, a box of their labels) and the buffer its draws are read into. */
export interface SlabDraws {
  block: ElementBlock;
  /** Exactly the slab's draws (`block.count × perElement`), so the buffer can move to a worker whole. */
  draws: Float64Array;
}

/**
 * Read a block's draws into its slabs' buffers, element i's `chains × draws` (chain after chain)
 * at `[i·perElement, (i+1)·perElement)` of its slab: the chunks holding its elements (every chain
 * and draw chunk of them), each read once, scattered into every slab it holds picks of, and
 * dropped. Every value of each slab is written, so its buffer may hold an earlier block's.
 */
export async function readBlockDraws(slabs: readonly SlabDraws[], array: ZarrArray, layout: DrawLayout, read: ReadOptions, concurrency: number): Promise<void> {
  const { chains, draws, ownDim, chainAxis, drawAxis } = layout;
  const perElement = chains * draws;
  const targets = slabs
    .filter((slab) => slab.draws.length > 0)
    .map(({ block, draws: out }) => {
      const elementStrides = cStrides(block.ranges.map(([start, end]) => end - start));
      const picks = layout.picks.map((p, axis) => (ownDim[axis] < 0 ? p : p.subarray(...block.ranges[ownDim[axis]])));
      const strides = picks.map((_, axis) => {
        if (ownDim[axis] >= 0) return elementStrides[ownDim[axis]] * perElement;
        return axis === chainAxis ? draws : axis === drawAxis ? 1 : 0;
      });
      return { out: { kind: "number" as const, data: out }, strides, plan: planSelection(array, picks) };
    });
  if (targets.length) await readSelectionsInto(targets, array, read, concurrency);
}
