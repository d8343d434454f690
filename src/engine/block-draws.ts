import type { ElementBlock } from "./diagnose-blocks.ts";
import { cStrides, type ReadOptions, type ZarrArray } from "./read.ts";
import { planSelection, readSelectionsInto } from "./read-selection.ts";
import type { VariableInfo } from "./trace-tree.ts";

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
 * How a slab holds its draws: element after element (element i's `chains × draws`, chain after
 * chain, at `[i·perElement, (i+1)·perElement)`), or draw after draw (draw s of every element, in
 * element order, at `[s·count, (s+1)·count)`, draws chain after chain). Draw after draw copies
 * chunks laid out (chain, draw, element) in runs, leaving the transpose to the job on the slab.
 */
export type SlabOrder = "elements" | "draws";

/**
 * Read a block's draws into its slabs' buffers, in `order`: the chunks holding its elements
 * (every chain and draw chunk of them), each read once, scattered into every slab it holds picks
 * of, and dropped. Every value of each slab is written, so its buffer may hold an earlier block's.
 */
export async function readBlockDraws(slabs: readonly SlabDraws[], array: ZarrArray, layout: DrawLayout, read: ReadOptions, concurrency: number, order: SlabOrder = "elements"): Promise<void> {
  const { chains, draws, ownDim, chainAxis, drawAxis } = layout;
  const perElement = chains * draws;
  const targets = slabs
    .filter((slab) => slab.draws.length > 0)
    .map(({ block, draws: out }) => {
      const elementStrides = cStrides(block.ranges.map(([start, end]) => end - start));
      const picks = layout.picks.map((p, axis) => (ownDim[axis] < 0 ? p : p.subarray(...block.ranges[ownDim[axis]])));
      // Per element, per chain and per draw: how far apart their values lie.
      const [element, chain, draw] = order === "elements" ? [perElement, draws, 1] : [1, draws * block.count, block.count];
      const strides = picks.map((_, axis) => {
        if (ownDim[axis] >= 0) return elementStrides[ownDim[axis]] * element;
        return axis === chainAxis ? chain : axis === drawAxis ? draw : 0;
      });
      return { out: { kind: "number" as const, data: out }, strides, plan: planSelection(array, picks) };
    });
  if (targets.length) await readSelectionsInto(targets, array, read, concurrency);
}
