import { DIAGNOSTIC_NAMES, diagnoseDraws } from "./diagnostics.ts";

/** A block of scalars' draws, each `chains` chains long, one scalar after another. */
export interface DrawBlock {
  draws: Float64Array;
  chains: number;
  count: number;
}

/** The diagnostics of every scalar of a block: DIAGNOSTIC_NAMES.length values per scalar, in order. */
export function diagnoseBlock({ draws, chains, count }: DrawBlock): Float64Array {
  const width = DIAGNOSTIC_NAMES.length;
  const out = new Float64Array(count * width);
  const length = draws.length / count;
  for (let i = 0; i < count; i++) diagnoseDraws(draws.subarray(i * length, (i + 1) * length), chains, out, i * width);
  return out;
}
