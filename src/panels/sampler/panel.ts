import * as Plot from "@observablehq/plot";
import type { Table } from "apache-arrow";
import { BFMI_THRESHOLD } from "../engine/stats/bfmi.ts";
import { kde } from "../engine/stats/kde.ts";
import { CHAINS_OPTION, chainSelection, drawsPhrase, type ChainSeries } from "./chain-draws.ts";
import { chainColours, chainLegend, chainScale, legendRow } from "./chain-style.ts";
import {
  SAMPLER_STATS,
  depthCounts,
  distinctValues,
  energyDiagnostics,
  finiteMean,
  histogram,
  missingText,
  samplerSeries,
  statColumn,
  type EnergyDiagnostics,
  type SamplerStat,
} from "./sampler-data.ts";
import { formatNumber, kdeDescription, plotStyle } from "./style.ts";
import { drawExtent, linesToDraw } from "./trace-thin.ts";
import type { PanelFigure, PanelKind, PanelOptions } from "./types.ts";

const ENERGY_COLOUR = "#4e79a7";
const TRANSITION_COLOUR = "#f28e2b";
const FLAG_COLOUR = "#d62728";
const ENERGY_BINS = 40;
const ACCEPTANCE_BINS = 20;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 40 };

/** What every sampler figure shares: the style, its size for the panel's width, the margins. */
const frame = (width: number) => ({
  ...plotStyle,
  width,
  height: Math.round(Math.max(240, Math.min(380, width * 0.42))),
  marginLeft: MARGIN.left,
  marginRight: MARGIN.right,
  marginTop: MARGIN.top,
  marginBottom: MARGIN.bottom,
});
const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "NaN");
const chainList = (items: readonly { chain: string; text: string }[]) => items.map((i) => `chain ${i.chain} ${i.text}`).join(", ");

/** The two centred energy distributions as filled densities or as density-scaled histograms, and how they were made. */
function energyMarks(energy: EnergyDiagnostics, display: string): { marks: Plot.Markish[]; method: string } {
  const layers = [
    { values: energy.marginal, colour: ENERGY_COLOUR, name: "energy" },
    { values: energy.transition, colour: TRANSITION_COLOUR, name: "energy transition" },
  ];
  if (display === "histogram") {
    let lo = Infinity;
    let hi = -Infinity;
    for (const { values } of layers) for (const v of values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const width = (hi - lo) / ENERGY_BINS;
    const marks = layers.map(({ values, colour, name }) => {
      const counts = histogram(values, lo, hi, ENERGY_BINS);
      const n = counts.reduce((a, c) => a + c, 0);
      return Plot.rect(
        { length: ENERGY_BINS },
        { x1: (_, b) => lo + b * width, x2: (_, b) => lo + (b + 1) * width, y1: 0, y2: (_, b) => counts[b] / (n * width), fill: colour, fillOpacity: 0.45, ariaDescription: name },
      );
    });
    return { marks, method: `as histograms of ${ENERGY_BINS} shared bins scaled to densities.` };
  }
  const estimates = layers.map((layer) => ({ ...layer, estimate: kde(layer.values, { points: 256 }) }));
  const marks = estimates.flatMap(({ estimate, colour, name }) => {
    const data = { length: estimate.x.length };
    return [
      Plot.areaY(data, { x: estimate.x, y: estimate.density, fill: colour, fillOpacity: 0.35, ariaHidden: "true" }),
      Plot.lineY(data, { x: estimate.x, y: estimate.density, stroke: colour, strokeWidth: 1.5, ariaDescription: name, ariaLabel: () => name }),
    ];
  });
  return { marks, method: `as densities: ${kdeDescription(estimates.map((e) => e.estimate.bandwidth), 1, "not bounded")}` };
}

/** E-BFMI per chain, written in the plot's top-right corner; chains below the threshold in red. */
function bfmiMarks(energy: EnergyDiagnostics): Plot.Markish[] {
  const lines = [
    { text: "E-BFMI", colour: "currentColor", bold: true },
    ...energy.bfmi.map(({ chain, value }) => ({
      text: `chain ${chain}: ${fixed(value)}${value < BFMI_THRESHOLD ? ` (< ${BFMI_THRESHOLD})` : ""}`,
      colour: value < BFMI_THRESHOLD ? FLAG_COLOUR : "currentColor",
      bold: value < BFMI_THRESHOLD,
    })),
  ];
  return lines.map((line, k) =>
    Plot.text([line.text], {
      frameAnchor: "top-right",
      textAnchor: "end",
      dx: -6,
      dy: 8 + 15 * k,
      fill: line.colour,
      fontWeight: line.bold ? "bold" : "normal",
      stroke: "var(--panel, white)",
      strokeWidth: 3,
      paintOrder: "stroke",
      ariaDescription: "E-BFMI",
    }),
  );
}

function energyFigure(series: readonly ChainSeries[], display: string, width: number) {
  const energy = energyDiagnostics(series);
  const { marks, method } = energyMarks(energy, display);
  const low = energy.bfmi.filter((b) => b.value < BFMI_THRESHOLD);
  const node = document.createElement("div");
  node.append(
    legendRow("energy (centred)", [
      { colour: ENERGY_COLOUR, text: "marginal energy E − mean" },
      { colour: TRANSITION_COLOUR, text: "energy transition ΔE − mean" },
    ]),
    Plot.plot({
      ...frame(width),
      x: { label: "energy − mean", labelArrow: "none" },
      y: { label: "density", grid: true },
      marks: [...marks, Plot.ruleY([0], { strokeOpacity: 0.4 }), ...bfmiMarks(energy)],
    }),
  );
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
    node,
  };
}

function depthFigure(series: readonly ChainSeries[], chains: readonly string[], width: number) {
  const { depths, counts } = depthCounts(series);
  const shown = series.map((s) => s.chain);
  const rows = depths.flatMap((depth, d) => series.map((s, c) => ({ depth, chain: s.chain, count: counts[c][d] })));
  const node = document.createElement("div");
  node.append(
    chainLegend(chains, shown),
    Plot.plot({
      ...frame(width),
      fx: { label: "tree depth", labelArrow: "none", axis: "bottom", padding: 0.2 },
      x: { domain: shown, axis: null },
      y: { label: "draws", grid: true },
      color: chainScale(chains, shown),
      marks: [Plot.barY(rows, { fx: "depth", x: "chain", y: "count", fill: "chain", ariaDescription: "tree depth bars" }), Plot.ruleY([0], { strokeOpacity: 0.4 })],
    }),
  );
  const means = series.map((s) => ({ chain: s.chain, text: finiteMean(s.values).toFixed(2) }));
  const deepest = depths.at(-1);
  const atDeepest = deepest === undefined ? 0 : counts.reduce((a, c) => a + c[depths.length - 1], 0);
  return {
    name: `Tree depth of the sampler: ${drawsPhrase(series)}, depths ${depths.length ? `${depths[0]}–${deepest}` : "none"}`,
    caption: [
      `Draws per tree depth and chain. Mean depth: ${chainList(means)}.`,
      deepest === undefined
        ? ""
        : `The largest depth reached is ${deepest}, in ${formatNumber(atDeepest)} draws; if that is the sampler's maximum tree depth, those trajectories were cut short.`,
    ].join(" "),
    node,
  };
}

function stepSizeFigure(series: readonly ChainSeries[], chains: readonly string[], width: number) {
  const colours = chainColours(chains);
  const all = series.reduce((a, s) => a + s.draws.length, 0);
  const lines = linesToDraw(series, drawExtent(series), width - MARGIN.left - MARGIN.right, all);
  const kept = lines.reduce((a, l) => a + l.draws.length, 0);
  let smallest = Infinity;
  let largest = 0;
  for (const { values } of lines) for (const v of values) if (v > 0) [smallest, largest] = [Math.min(smallest, v), Math.max(largest, v)];
  const logScale = largest / smallest > 10;
  const node = document.createElement("div");
  node.append(
    chainLegend(chains, series.map((s) => s.chain)),
    Plot.plot({
      ...frame(width),
      x: { label: "draw", labelArrow: "none" },
      // Step sizes of chains may differ by orders of magnitude: then a log scale.
      y: { label: "step size", grid: true, type: logScale ? "log" : "linear", inset: 8 },
      marks: lines.map((line) =>
        Plot.lineY({ length: line.draws.length }, { x: line.draws, y: line.values, stroke: colours.get(line.chain), strokeWidth: 1.5, ariaDescription: "step size", ariaLabel: () => `chain ${line.chain}` }),
      ),
    }),
  );
  const constant = series.every((s) => distinctValues(s.values, 1).length === 1);
  const perChain = series.map((s) => ({ chain: s.chain, text: constant ? String(Number(s.values[0].toPrecision(4))) : `mean ${Number(finiteMean(s.values).toPrecision(4))}` }));
  return {
    name: `Step size of the sampler: ${drawsPhrase(series)}`,
    caption: [
      `Step size per chain against the draw index${logScale ? " (log scale)" : ""}.`,
      constant ? `Constant within each chain, as after adaptation: ${chainList(perChain)}.` : `It varies within chains (warmup adapts it): ${chainList(perChain)}.`,
      kept < all ? `Lines thinned to each chain's smallest and largest value per pixel column (${formatNumber(kept)} of ${formatNumber(all)} points).` : "",
    ]
      .filter((n) => n)
      .join(" "),
    node,
  };
}

function acceptanceFigure(series: readonly ChainSeries[], chains: readonly string[], width: number) {
  const shown = series.map((s) => s.chain);
  const bars = series.flatMap((s) => Array.from(histogram(s.values, 0, 1, ACCEPTANCE_BINS), (count, b) => ({ chain: s.chain, x1: b / ACCEPTANCE_BINS, x2: (b + 1) / ACCEPTANCE_BINS, count })));
  const means = series.map((s) => ({ chain: s.chain, mean: finiteMean(s.values) }));
  const node = document.createElement("div");
  node.append(
    chainLegend(chains, shown),
    Plot.plot({
      ...frame(width),
      // Room for the chain labels above the facets.
      marginTop: 28,
      fx: { domain: shown, label: null, tickFormat: (c: string) => `chain ${c}`, axis: "top", padding: 0.15 },
      x: { domain: [0, 1], label: "acceptance rate", labelArrow: "none", ticks: 3 },
      y: { label: "draws", grid: true },
      color: chainScale(chains, shown),
      marks: [
        Plot.rect(bars, { fx: "chain", x1: "x1", x2: "x2", y1: 0, y2: "count", fill: "chain", insetLeft: 0.5, insetRight: 0.5, ariaDescription: "acceptance bars" }),
        Plot.ruleX(means, { fx: "chain", x: "mean", stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4 3", ariaDescription: "acceptance means" }),
        Plot.text(means, {
          fx: "chain",
          x: "mean",
          text: (m) => `mean ${fixed(m.mean)}`,
          frameAnchor: "top",
          textAnchor: "end",
          dx: -4,
          dy: 8,
          fill: "currentColor",
          stroke: "var(--panel, white)",
          strokeWidth: 3,
          paintOrder: "stroke",
        }),
        Plot.ruleY([0], { strokeOpacity: 0.4 }),
      ],
    }),
  );
  return {
    name: `Acceptance rate of the sampler: ${drawsPhrase(series)}, mean ${fixed(finiteMean(series.flatMap((s) => Array.from(s.values))))}`,
    caption: `Per chain, a histogram of the acceptance rate in ${ACCEPTANCE_BINS} bins, and its mean (dashed): ${chainList(means.map((m) => ({ chain: m.chain, text: fixed(m.mean) })))}. NUTS adapts its step size towards a target mean acceptance (0.8 by default in Stan and PyMC).`,
    node,
  };
}

/** The figure when the query lacks the statistic's column: it says what to add. */
function missingFigure(stat: SamplerStat): PanelFigure {
  const title = SAMPLER_STATS[stat].title;
  const node = document.createElement("p");
  node.className = "sampler-missing";
  const text = missingText(stat);
  node.textContent = `${title}: ${text[0].toUpperCase()}${text.slice(1)} (the trace browser's Sampler section writes the whole query in one click).`;
  return { name: `${title} of the sampler: not in the query`, caption: `${text[0].toUpperCase()}${text.slice(1)}.`, node };
}

const STAT_CHOICES = (Object.keys(SAMPLER_STATS) as SamplerStat[]).map((value) => ({ value, label: SAMPLER_STATS[value].title.toLowerCase() }));

function renderStat(table: Table, options: PanelOptions, width: number): PanelFigure {
  const stat = (String(options.stat) in SAMPLER_STATS ? String(options.stat) : "energy") as SamplerStat;
  const column = statColumn(table, stat);
  if (!column) return missingFigure(stat);
  const selection = chainSelection(options.chains, table);
  const { series, chains, source } = samplerSeries(table, column, selection.chains);
  const figure =
    stat === "energy"
      ? energyFigure(series, String(options.display), width)
      : stat === "tree_depth"
        ? depthFigure(series, chains, width)
        : stat === "step_size"
          ? stepSizeFigure(series, chains, width)
          : acceptanceFigure(series, chains, width);
  const notes = [figure.caption, source ? `Stacked groups repeat the sampler's draws: those of ${source} are shown.` : "", selection.note];
  return { ...figure, caption: notes.filter((n) => n).join(" ") };
}

export const panel: PanelKind = {
  kind: "sampler",
  title: "Sampler statistics",
  order: 64,
  options: [
    { key: "stat", label: "Statistic", type: "choice", choices: STAT_CHOICES, default: "energy" },
    {
      key: "display",
      label: "Energy as",
      type: "choice",
      choices: [
        { value: "density", label: "densities" },
        { value: "histogram", label: "histograms" },
      ],
      default: "density",
    },
    CHAINS_OPTION,
  ],
  render(table, options, { width }) {
    return renderStat(table, options, width);
  },
};
