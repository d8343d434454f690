import * as Plot from "@observablehq/plot";
import { BFMI_THRESHOLD } from "../../engine/stats/bfmi.ts";
import { CHAINS_OPTION } from "../chain-draws.ts";
import { chainColours, chainLegend, chainScale, legendRow } from "../chain-style.ts";
import { plotStyle } from "../style.ts";
import type { PanelKind } from "../types.ts";
import type { ChainLine } from "../trace-thin.ts";
import { ACCEPTANCE_BINS, ENERGY_BINS, type ChainBfmi, type EnergyLayers, type SamplerData } from "./data.ts";
import { SAMPLER_STATS, type SamplerStat } from "./stats.ts";

const ENERGY_COLOUR = "#4e79a7";
const TRANSITION_COLOUR = "#f28e2b";
const FLAG_COLOUR = "#d62728";
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

/** The two centred energy distributions as filled densities or as density-scaled histograms. */
function energyMarks(layers: EnergyLayers): Plot.Markish[] {
  const styles = [
    { colour: ENERGY_COLOUR, name: "energy" },
    { colour: TRANSITION_COLOUR, name: "energy transition" },
  ];
  if (layers.display === "histogram") {
    const { lo, binWidth, heights } = layers;
    return styles.map(({ colour, name }, k) =>
      Plot.rect(
        { length: ENERGY_BINS },
        { x1: (_, b) => lo + b * binWidth, x2: (_, b) => lo + (b + 1) * binWidth, y1: 0, y2: (_, b) => heights[k][b], fill: colour, fillOpacity: 0.45, ariaDescription: name },
      ),
    );
  }
  return styles.flatMap(({ colour, name }, k) => {
    const { x, density } = layers.curves[k];
    const data = { length: x.length };
    return [
      Plot.areaY(data, { x, y: density, fill: colour, fillOpacity: 0.35, ariaHidden: "true" }),
      Plot.lineY(data, { x, y: density, stroke: colour, strokeWidth: 1.5, ariaDescription: name, ariaLabel: () => name }),
    ];
  });
}

/** E-BFMI per chain, written in the plot's top-right corner; chains below the threshold in red. */
function bfmiMarks(bfmi: readonly ChainBfmi[]): Plot.Markish[] {
  const lines = [
    { text: "E-BFMI", colour: "currentColor", bold: true },
    ...bfmi.map(({ chain, value }) => ({
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

function energyPlot(layers: EnergyLayers, bfmi: readonly ChainBfmi[], width: number): Element {
  return stacked(
    legendRow("energy (centred)", [
      { colour: ENERGY_COLOUR, text: "marginal energy E − mean" },
      { colour: TRANSITION_COLOUR, text: "energy transition ΔE − mean" },
    ]),
    Plot.plot({
      ...frame(width),
      x: { label: "energy − mean", labelArrow: "none" },
      y: { label: "density", grid: true },
      marks: [...energyMarks(layers), Plot.ruleY([0], { strokeOpacity: 0.4 }), ...bfmiMarks(bfmi)],
    }),
  );
}

function depthPlot(depths: readonly number[], counts: readonly Int32Array[], chains: readonly string[], shown: readonly string[], width: number) {
  const rows = depths.flatMap((depth, d) => shown.map((chain, c) => ({ depth, chain, count: counts[c][d] })));
  return Plot.plot({
    ...frame(width),
    fx: { label: "tree depth", labelArrow: "none", axis: "bottom", padding: 0.2 },
    x: { domain: [...shown], axis: null },
    y: { label: "draws", grid: true },
    color: chainScale(chains, shown),
    marks: [Plot.barY(rows, { fx: "depth", x: "chain", y: "count", fill: "chain", ariaDescription: "tree depth bars" }), Plot.ruleY([0], { strokeOpacity: 0.4 })],
  });
}

function stepSizePlot(lines: readonly ChainLine[], logScale: boolean, chains: readonly string[], width: number) {
  const colours = chainColours(chains);
  return Plot.plot({
    ...frame(width),
    x: { label: "draw", labelArrow: "none" },
    // Step sizes of chains may differ by orders of magnitude: then a log scale.
    y: { label: "step size", grid: true, type: logScale ? "log" : "linear", inset: 8 },
    marks: lines.map((line) =>
      Plot.lineY(
        { length: line.draws.length },
        { x: line.draws, y: line.values, stroke: colours.get(line.chain), strokeWidth: 1.5, ariaDescription: "step size", ariaLabel: () => `chain ${line.chain}` },
      ),
    ),
  });
}

function acceptancePlot(counts: readonly Int32Array[], means: readonly number[], chains: readonly string[], shown: readonly string[], width: number) {
  const bars = shown.flatMap((chain, c) => Array.from(counts[c], (count, b) => ({ chain, x1: b / ACCEPTANCE_BINS, x2: (b + 1) / ACCEPTANCE_BINS, count })));
  const chainMeans = shown.map((chain, c) => ({ chain, mean: means[c] }));
  return Plot.plot({
    ...frame(width),
    // Room for the chain labels above the facets.
    marginTop: 28,
    fx: { domain: [...shown], label: null, tickFormat: (c: string) => `chain ${c}`, axis: "top", padding: 0.15 },
    x: { domain: [0, 1], label: "acceptance rate", labelArrow: "none", ticks: 3 },
    y: { label: "draws", grid: true },
    color: chainScale(chains, shown),
    marks: [
      Plot.rect(bars, { fx: "chain", x1: "x1", x2: "x2", y1: 0, y2: "count", fill: "chain", insetLeft: 0.5, insetRight: 0.5, ariaDescription: "acceptance bars" }),
      Plot.ruleX(chainMeans, { fx: "chain", x: "mean", stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4 3", ariaDescription: "acceptance means" }),
      Plot.text(chainMeans, {
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
  });
}

/** A legend above its plot. */
function stacked(...nodes: Element[]): Element {
  const node = document.createElement("div");
  node.append(...nodes);
  return node;
}

/** The figure: a legend above a plot, or a paragraph saying what to add to the query. */
function figureNode({ figure, chains, shown }: SamplerData, width: number): Element {
  switch (figure.stat) {
    case "missing": {
      const node = document.createElement("p");
      node.className = "sampler-missing";
      node.textContent = figure.text;
      return node;
    }
    case "energy":
      return energyPlot(figure.layers, figure.bfmi, width);
    case "tree_depth":
      return stacked(chainLegend(chains, shown), depthPlot(figure.depths, figure.counts, chains, shown, width));
    case "step_size":
      return stacked(chainLegend(chains, shown), stepSizePlot(figure.lines, figure.logScale, chains, width));
    case "acceptance":
      return stacked(chainLegend(chains, shown), acceptancePlot(figure.counts, figure.means, chains, shown, width));
  }
}

const STAT_CHOICES = (Object.keys(SAMPLER_STATS) as SamplerStat[]).map((value) => ({ value, label: SAMPLER_STATS[value].title.toLowerCase() }));

export const panel: PanelKind<SamplerData> = {
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
  // The first statistic the query has, so a trace without energy opens on one it has.
  choiceDefaults: (columns): Record<string, string> => {
    const names = new Set(columns.filter((c) => c.role === "value" && c.numeric).map((c) => c.name));
    const stat = (Object.keys(SAMPLER_STATS) as SamplerStat[]).find((s) => SAMPLER_STATS[s].columns.some((c) => names.has(c)));
    return stat ? { stat } : {};
  },
  render(data, _options, { width }) {
    return { name: data.name, caption: data.caption, node: figureNode(data, width) };
  },
};
