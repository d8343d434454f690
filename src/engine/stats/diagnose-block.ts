import { DIAGNOSTIC_NAMES, diagnoseDraws } from "./diagnostics.ts";
import { forEachElement } from "./draw-rows.ts";

/** A block of scalars' draws, each `chains` chains long (chain after chain), laid out by draw (draw-rows.ts). */
export interface DrawBlock {
  draws: Float64Array;
  chains: number;
  count: number;
}

/** The diagnostics of every scalar of a block: DIAGNOSTIC_NAMES.length values per scalar, in order. */
export function diagnoseBlock({ draws, chains, count }: DrawBlock): Float64Array {
  const width = DIAGNOSTIC_NAMES.length;
  const out = new Float64Array(count * width);
  forEachElement(draws, count, count ? draws.length / count : 0, (e, own) => diagnoseDraws(own, chains, out, e * width));
  return out;
}
