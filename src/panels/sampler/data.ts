import { BFMI_THRESHOLD } from "../../engine/stats/bfmi.ts";
import { kde } from "../../engine/stats/kde.ts";
import { chainSelection, drawsPhrase, type ChainSeries } from "../chain-draws.ts";
import { formatCount, formatNumber, kdeDescription } from "../style.ts";
import { drawExtent, LINE_SPANS, linesToDraw, type ChainLine } from "../trace-thin.ts";
import type { PanelData } from "../types.ts";
import { SAMPLER_STATS, depthCounts, distinctValues, energyDiagnostics, finiteMean, histogram, missingText, samplerSeries, statColumn, type SamplerStat } from "./stats.ts";

export const ENERGY_BINS = 40;
export const ACCEPTANCE_BINS = 20;

/** E-BFMI of one chain. */
export interface ChainBfmi {
  chain: string;
  value: number;
}

/** The centred marginal energy and energy transitions, as two densities or as two density-scaled histograms over shared bins. */
export type EnergyLayers = { display: "density"; curves: { x: Float64Array; density: Float64Array }[] } | { display: "histogram"; lo: number; binWidth: number; heights: Float64Array[] };

/** What a sampler figure draws, per statistic. */
export type SamplerFigure =
  | { stat: "missing"; text: string }
  | { stat: "energy"; layers: EnergyLayers; bfmi: ChainBfmi[] }
  | { stat: "tree_depth"; depths: number[]; counts: Int32Array[] }
  | { stat: "step_size"; lines: ChainLine[]; logScale: boolean }
  | { stat: "acceptance"; counts: Int32Array[]; means: number[] };

/** What a sampler panel draws, with its name and caption. */
export interface SamplerData {
  name: string;
  caption: string;
  /** Every chain label of the table (colours are assigned over these), and the chains drawn. */
  chains: string[];
  shown: string[];
  figure: SamplerFigure;
}

type Drawn = Pick<SamplerData, "name" | "caption" | "figure">;

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "NaN");
const chainList = (items: readonly { chain: string; text: string }[]) => items.map((i) => `chain ${i.chain} ${i.text}`).join(", ");

/** The two centred energy distributions as densities or as histograms, and how they were made. */
function energyLayers(marginal: Float64Array, transition: Float64Array, display: string): { layers: EnergyLayers; method: string } {
  const values = [marginal, transition];
  if (display === "histogram") {
    let lo = Infinity;
    let hi = -Infinity;
    for (const layer of values) for (const v of layer) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const binWidth = (hi - lo) / ENERGY_BINS;
    const heights = values.map((layer) => {
      const counts = histogram(layer, lo, hi, ENERGY_BINS);
      const n = counts.reduce((a, c) => a + c, 0);
      return Float64Array.from(counts, (c) => c / (n * binWidth));
    });
    return { layers: { display: "histogram", lo, binWidth, heights }, method: `as histograms of ${ENERGY_BINS} shared bins scaled to densities.` };
  }
  const estimates = values.map((layer) => kde(layer, { points: 256 }));
  return {
    layers: { display: "density", curves: estimates.map(({ x, density }) => ({ x, density })) },
    method: `as densities: ${kdeDescription(
      estimates.map((e) => e.bandwidth),
      1,
      "not bounded",
    )}`,
  };
}

function energyFigure(series: readonly ChainSeries[], display: string): Drawn {
  const energy = energyDiagnostics(series);
  const { layers, method } = energyLayers(energy.marginal, energy.transition, display);
  const low = energy.bfmi.filter((b) => b.value < BFMI_THRESHOLD);
  const range = energy.bfmi.map((b) => b.value).filter(Number.isFinite);
  const flag = low.length ? `; below ${BFMI_THRESHOLD} in chain${low.length > 1 ? "s" : ""} ${low.map((b) => b.chain).join(", ")}` : "";
  return {
    name: `Energy of the sampler: ${drawsPhrase(series)}, E-BFMI ${range.length ? `${fixed(Math.min(...range))}–${fixed(Math.max(...range))}` : "NaN"}${flag}`,
    caption: [
      `The marginal energy distribution and the energy transition distribution (ΔE between successive draws of a chain), each centred on its mean, ${method}`,
      "When the transitions are much narrower than the marginal energy, the sampler moves between energy levels slowly.",
      `E-BFMI per chain (sum of squared successive energy differences over the sum of squared deviations from the chain's mean, as ArviZ's bfmi): ${chainList(energy.bfmi.map((b) => ({ chain: b.chain, text: fixed(b.value) })))}.`,
      low.length
        ? `E-BFMI below ${BFMI_THRESHOLD} in ${low.length === 1 ? "chain" : "chains"} ${low.map((b) => b.chain).join(", ")}: the sampler may not explore the posterior's tails; reparameterising often helps.`
        : `No chain has E-BFMI below ${BFMI_THRESHOLD}.`,
    ].join(" "),
    figure: { stat: "energy", layers, bfmi: energy.bfmi },
  };
}

function depthFigure(series: readonly ChainSeries[]): Drawn {
  const { depths, counts } = depthCounts(series);
  const means = series.map((s) => ({ chain: s.chain, text: finiteMean(s.values).toFixed(2) }));
  const deepest = depths.at(-1);
  const atDeepest = deepest === undefined ? 0 : counts.reduce((a, c) => a + c[depths.length - 1], 0);
  return {
    name: `Tree depth of the sampler: ${drawsPhrase(series)}, ${depths.length === 0 ? "no depths" : depths[0] === deepest ? `depth ${deepest}` : `depths ${depths[0]}–${deepest}`}`,
    caption: [
      `Draws per tree depth and chain. Mean depth: ${chainList(means)}.`,
      deepest === undefined ? "" : `The largest depth reached is ${deepest}, in ${formatCount(atDeepest, "draw")}; if that is the sampler's maximum tree depth, those trajectories were cut short.`,
    ].join(" "),
    figure: { stat: "tree_depth", depths, counts },
  };
}

function stepSizeFigure(series: readonly ChainSeries[]): Drawn {
  const all = series.reduce((a, s) => a + s.draws.length, 0);
  const lines = linesToDraw(series, drawExtent(series), all);
  const kept = lines.reduce((a, l) => a + l.draws.length, 0);
  let smallest = Infinity;
  let largest = 0;
  for (const { values } of lines) for (const v of values) if (v > 0) [smallest, largest] = [Math.min(smallest, v), Math.max(largest, v)];
  const logScale = largest / smallest > 10;
  const constant = series.every((s) => distinctValues(s.values, 1).length === 1);
  const perChain = series.map((s) => ({ chain: s.chain, text: constant ? String(Number(s.values[0].toPrecision(4))) : `mean ${Number(finiteMean(s.values).toPrecision(4))}` }));
  return {
    name: `Step size of the sampler: ${drawsPhrase(series)}`,
    caption: [
      `Step size per chain against the draw index${logScale ? " (log scale)" : ""}.`,
      constant ? `Constant within each chain, as after adaptation: ${chainList(perChain)}.` : `It varies within chains (warmup adapts it): ${chainList(perChain)}.`,
      kept < all ? `Lines thinned to each chain's smallest and largest value in each of ${formatNumber(LINE_SPANS)} equal spans of draws (${formatNumber(kept)} of ${formatNumber(all)} points).` : "",
    ]
      .filter((n) => n)
      .join(" "),
    figure: { stat: "step_size", lines, logScale },
  };
}

function acceptanceFigure(series: readonly ChainSeries[]): Drawn {
  const means = series.map((s) => finiteMean(s.values));
  return {
    name: `Acceptance rate of the sampler: ${drawsPhrase(series)}, mean ${fixed(finiteMean(series.flatMap((s) => Array.from(s.values))))}`,
    caption: `Per chain, a histogram of the acceptance rate in ${ACCEPTANCE_BINS} bins, and its mean (dashed): ${chainList(series.map((s, c) => ({ chain: s.chain, text: fixed(means[c]) })))}. NUTS adapts its step size towards a target mean acceptance (0.8 by default in Stan and PyMC).`,
    figure: { stat: "acceptance", counts: series.map((s) => histogram(s.values, 0, 1, ACCEPTANCE_BINS)), means },
  };
}

export const panel: PanelData<SamplerData> = {
  data(table, options) {
    const stat = (String(options.stat) in SAMPLER_STATS ? String(options.stat) : "energy") as SamplerStat;
    const title = SAMPLER_STATS[stat].title;
    const column = statColumn(table, stat);
    if (!column) {
      // The query lacks the statistic's column: the figure says what to add.
      const present = (Object.keys(SAMPLER_STATS) as SamplerStat[]).filter((s) => statColumn(table, s)).map((s) => SAMPLER_STATS[s].title.toLowerCase());
      return {
        name: `${title} of the sampler: not in the query`,
        caption: present.length
          ? `This query has the sampler's ${present.join(", ")}: choose ${present.length === 1 ? "it" : "one"} as the Statistic.`
          : "This query has none of the sampler's statistics.",
        chains: [],
        shown: [],
        figure: { stat: "missing", text: `${title}: ${missingText(stat)} if the trace has it (the trace browser's Sampler section queries every statistic the trace has in one click).` },
      };
    }
    const selection = chainSelection(options.chains, table);
    const { series, chains, source } = samplerSeries(table, column, selection.chains);
    const drawn =
      stat === "energy" ? energyFigure(series, String(options.display)) : stat === "tree_depth" ? depthFigure(series) : stat === "step_size" ? stepSizeFigure(series) : acceptanceFigure(series);
    const notes = [drawn.caption, source ? `Stacked groups repeat the sampler's draws: those of ${source} are shown.` : "", selection.note];
    return { ...drawn, caption: notes.filter((n) => n).join(" "), chains, shown: series.map((s) => s.chain) };
  },
};
