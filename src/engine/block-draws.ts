import type { ElementBlock } from "./diagnose-blocks.ts";
import { cStrides, type ReadOptions, type ZarrArray } from "./read.ts";
import { planSelection, readSelectionInto } from "./read-selection.ts";
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

/**
 * Read a block's draws into the start of `into`: the chunks holding its elements (every chain and
 * draw chunk of them), each scattered into per-element runs of `chains × draws` (chain after chain)
 * and dropped. Every value of the block is written, so `into` may hold an earlier block's.
 */
export async function readBlockDraws(into: Float64Array, array: ZarrArray, layout: DrawLayout, block: ElementBlock, read: ReadOptions, concurrency: number): Promise<Float64Array> {
  const { chains, draws, ownDim, chainAxis, drawAxis } = layout;
  const perElement = chains * draws;
  const elementStrides = cStrides(block.ranges.map(([start, end]) => end - start));
  const picks = layout.picks.map((p, axis) => (ownDim[axis] < 0 ? p : p.subarray(...block.ranges[ownDim[axis]])));
  const strides = picks.map((_, axis) => {
    if (ownDim[axis] >= 0) return elementStrides[ownDim[axis]] * perElement;
    return axis === chainAxis ? draws : axis === drawAxis ? 1 : 0;
  });
  const out = into.subarray(0, block.count * perElement);
  if (out.length) await readSelectionInto({ kind: "number", data: out }, strides, array, planSelection(array, picks), read, concurrency);
  return out;
}
