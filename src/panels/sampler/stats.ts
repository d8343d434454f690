/**
 * Sampler statistics (ArviZ's `sample_stats`) per chain, for the sampler panel: which column each
 * statistic needs, the centred energy distributions with E-BFMI, tree depth counts, and means.
 * Pure typed-array code: no DOM.
 */
import type { Table } from "apache-arrow";
import { LabelCoder, tableColumns } from "../../engine/columns.ts";
import { bfmi } from "../../engine/stats/bfmi.ts";
import { chainDraws, type ChainSeries } from "../chain-draws.ts";

export type SamplerStat = "energy" | "tree_depth" | "step_size" | "acceptance";

/** Each statistic's title and the `sample_stats` variables that hold it (ArviZ's name first). */
export const SAMPLER_STATS: Record<SamplerStat, { title: string; columns: readonly string[] }> = {
  energy: { title: "Energy", columns: ["energy"] },
  tree_depth: { title: "Tree depth", columns: ["tree_depth"] },
  step_size: { title: "Step size", columns: ["step_size"] },
  acceptance: { title: "Acceptance rate", columns: ["acceptance_rate", "mean_tree_accept"] },
};

/** The table's column for a statistic, or undefined when the query lacks it. */
export function statColumn(table: Table, stat: SamplerStat): string | undefined {
  const names = new Set(
    tableColumns(table)
      .filter((c) => c.role === "value" && c.numeric)
      .map((c) => c.name),
  );
  return SAMPLER_STATS[stat].columns.find((c) => names.has(c));
}

/** What to add to the query for a statistic it lacks: "add sample_stats/energy to the query". */
export function missingText(stat: SamplerStat): string {
  return `add sample_stats/${SAMPLER_STATS[stat].columns[0]} to the query`;
}

/** Every query spec the sampler panel can use, for the one-click query. */
export const SAMPLER_VARIABLES = ["energy", "tree_depth", "step_size", "acceptance_rate", "diverging"] as const;

/**
 * A statistic's draws per chain, and every chain label of the table (so a chain keeps its colour
 * when others are hidden). Sampler statistics have no dims: other specs' dims and stacked groups
 * repeat each draw, which is read once (from the first group, named as `source`).
 */
export function samplerSeries(table: Table, column: string, chains?: ReadonlySet<string>): { series: ChainSeries[]; chains: string[]; source?: string } {
  const data = chainDraws(table, column, [], { chains });
  const source = data.fixed.includes("source") ? String(new LabelCoder(table, "source").labels[0]) : undefined;
  return { series: data.elements[0]?.series ?? [], chains: data.chains, source };
}

/** Arithmetic mean of the finite values (NaN when there are none). */
export function finiteMean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

function centred(values: Float64Array): Float64Array {
  const mean = finiteMean(values);
  return values.map((v) => v - mean);
}

/** Energy diagnostics: the marginal energy and the energy transitions ΔE of all chains, each centred on its mean, and E-BFMI per chain. */
export interface EnergyDiagnostics {
  marginal: Float64Array;
  transition: Float64Array;
  bfmi: { chain: string; value: number }[];
}

export function energyDiagnostics(series: readonly ChainSeries[]): EnergyDiagnostics {
  const length = series.reduce((a, s) => a + s.values.length, 0);
  const marginal = new Float64Array(length);
  const transition = new Float64Array(Math.max(0, length - series.length));
  let at = 0;
  let step = 0;
  for (const { values } of series) {
    marginal.set(values, at);
    at += values.length;
    // Transitions within a chain only: the step from one chain's last draw to the next chain's first is not one.
    for (let i = 1; i < values.length; i++) transition[step++] = values[i] - values[i - 1];
  }
  return {
    marginal: centred(marginal),
    transition: centred(transition.subarray(0, step)),
    bfmi: series.map((s) => ({ chain: s.chain, value: bfmi(s.values) })),
  };
}

/** How many draws of each chain reached each tree depth (depths ascending; counts[c][d] for depths[d]). */
export function depthCounts(series: readonly ChainSeries[]): { depths: number[]; counts: Int32Array[] } {
  const found = new Set<number>();
  for (const { values } of series) for (const v of values) if (Number.isFinite(v)) found.add(Math.round(v));
  const depths = [...found].sort((a, b) => a - b);
  const index = new Map(depths.map((d, k) => [d, k]));
  const counts = series.map(({ values }) => {
    const out = new Int32Array(depths.length);
    for (const v of values) if (Number.isFinite(v)) out[index.get(Math.round(v))!]++;
    return out;
  });
  return { depths, counts };
}

/** Counts of values in `bins` equal bins over [lo, hi] (the last bin closed; values outside clamped). */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): Int32Array {
  const counts = new Int32Array(bins);
  const scale = hi > lo ? bins / (hi - lo) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)))]++;
  }
  return counts;
}

/** The distinct values of a chain's statistic, up to `limit` (step sizes after adaptation are one value per chain). */
export function distinctValues(values: ArrayLike<number>, limit: number): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < values.length && seen.size <= limit; i++) seen.add(values[i]);
  return [...seen];
}
