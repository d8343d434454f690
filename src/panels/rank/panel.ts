import * as Plot from "@observablehq/plot";
import { chainDraws, drawsPhrase, elementColumns, elementLabel, type ChainDraws } from "./chain-draws.ts";
import { chainColours, chainLegend, chainScale } from "./chain-style.ts";
import { cachedEcdfBand, chainRanks, ecdfDifference, ecdfPoints, insideBand, rankHistogram, type ChainRanks, type EcdfBand } from "./rank-data.ts";
import { formatCount, formatNumber, plotStyle } from "./style.ts";
import type { PanelKind } from "./types.ts";

/** As many facets as the trace panel shows, so the two line up. */
export const MAX_RANK_FACETS = 12;

interface RankedElement {
  label: string;
  ranked: ChainRanks;
}

function labelMargin(labels: readonly string[]): number {
  return Math.min(200, 16 + 7 * labels.reduce((a, l) => Math.max(a, l.length), 0));
}

const rowHeight = (rows: number) => (rows === 1 ? 200 : rows <= 4 ? 110 : 84);

/** Per element and chain, a histogram of the chain's pooled ranks, with the count each bin expects. */
function barsFigure(elements: readonly RankedElement[], chains: readonly string[], shown: readonly string[], bins: number, width: number) {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  const fx: string[] = [];
  const fy: string[] = [];
  const expected: { fx: string; fy: string; y: number }[] = [];
  for (const { label, ranked } of elements) {
    ranked.ranks.forEach((ranks, c) => {
      const counts = rankHistogram(ranks, ranked.total, bins);
      counts.forEach((count, b) => {
        x1.push((b * ranked.total) / bins);
        x2.push(((b + 1) * ranked.total) / bins);
        y.push(count);
        fx.push(ranked.chains[c]);
        fy.push(label);
      });
      expected.push({ fx: ranked.chains[c], fy: label, y: ranks.length / bins });
    });
  }
  const labels = elements.map((e) => e.label);
  const faceted = labels.length > 1;
  return Plot.plot({
    ...plotStyle,
    width,
    height: 60 + labels.length * rowHeight(labels.length),
    marginLeft: faceted ? labelMargin(labels) : 44,
    marginRight: 12,
    marginTop: 24,
    marginBottom: 36,
    x: { label: "rank (all chains pooled)", labelArrow: "none", ticks: 3 },
    y: { label: faceted ? null : "draws", axis: faceted ? null : "left", grid: true },
    fx: { domain: shown, label: null, tickFormat: (c: string) => `chain ${c}`, axis: "top", padding: 0.08 },
    fy: faceted ? { domain: labels, label: null, padding: 0.15, axis: "left" } : undefined,
    color: chainScale(chains, shown),
    marks: [
      Plot.rectY({ length: y.length }, { x1, x2, y1: 0, y2: y, fx, fy: faceted ? fy : undefined, fill: fx, insetLeft: 0.5, insetRight: 0.5, ariaDescription: "rank bars" }),
      Plot.ruleY(expected, { y: "y", fx: "fx", fy: faceted ? "fy" : undefined, stroke: "currentColor", strokeDasharray: "4 3", strokeWidth: 1.2, ariaDescription: "uniform expectation" }),
      Plot.ruleY([0], { strokeOpacity: 0.4 }),
    ],
  });
}

/** One element's ECDF differences per chain, and the band its chains are judged against. */
interface EcdfElement {
  label: string;
  chains: string[];
  differences: Float64Array[];
  points: number;
  band?: EcdfBand;
  /** Chains whose ECDF leaves the band. */
  outside: string[];
}

/** A band needs two or more equally long chains (missing draws make lengths differ). */
function ecdfElement({ label, ranked }: RankedElement): EcdfElement {
  const lengths = new Set(ranked.ranks.map((r) => r.length));
  const shortest = Math.min(...lengths);
  const points = ecdfPoints(shortest);
  const band = lengths.size === 1 && ranked.chains.length > 1 && shortest > 0 ? cachedEcdfBand(ranked.chains.length, shortest, points) : undefined;
  return {
    label,
    chains: ranked.chains,
    differences: ranked.ranks.map((r) => ecdfDifference(r, ranked.total, points)),
    points,
    band,
    outside: band ? ranked.chains.filter((_, c) => !insideBand(ranked.ranks[c], ranked.total, band)) : [],
  };
}

/** Curves of several facets end to end in columns for one Plot mark (fy names each point's facet). */
function concatenated(parts: readonly { fy: string; x: Float64Array; ys: Float64Array[] }[]) {
  const length = parts.reduce((a, p) => a + p.x.length, 0);
  const x = new Float64Array(length);
  const ys = (parts[0]?.ys ?? []).map(() => new Float64Array(length));
  const fy: string[] = new Array(length);
  const z = new Int32Array(length);
  let at = 0;
  parts.forEach((part, k) => {
    x.set(part.x, at);
    part.ys.forEach((y, j) => ys[j].set(y, at));
    fy.fill(part.fy, at, at + part.x.length);
    z.fill(k, at, at + part.x.length);
    at += part.x.length;
  });
  return { data: { length }, x, ys, fy, z };
}

/** Per element, each chain's ECDF difference over the simultaneous band, all chains in one frame. */
function ecdfFigure(elements: readonly EcdfElement[], chains: readonly string[], shown: readonly string[], width: number) {
  const labels = elements.map((e) => e.label);
  const faceted = labels.length > 1;
  const colours = chainColours(chains);
  const gridOf = (e: EcdfElement) => Float64Array.from({ length: e.points + 1 }, (_, k) => k / e.points);
  const banded = concatenated(elements.filter((e) => e.band).map((e) => ({ fy: e.label, x: e.band!.z, ys: [e.band!.lower, e.band!.upper] })));
  const lines = shown.map((chain) => {
    const parts = elements.flatMap((e) => {
      const c = e.chains.indexOf(chain);
      return c < 0 ? [] : [{ fy: e.label, x: gridOf(e), ys: [e.differences[c]] }];
    });
    const { data, x, ys, fy, z } = concatenated(parts);
    return Plot.lineY(data, {
      x,
      y: ys[0],
      z,
      fy: faceted ? fy : undefined,
      stroke: colours.get(chain),
      strokeWidth: 1.3,
      curve: "step-after",
      ariaDescription: "ECDF differences",
      ariaLabel: () => `chain ${chain}`,
    });
  });
  return Plot.plot({
    ...plotStyle,
    width,
    height: 50 + labels.length * rowHeight(labels.length),
    marginLeft: faceted ? labelMargin(labels) : 52,
    marginRight: faceted ? 48 : 16,
    marginTop: 10,
    marginBottom: 38,
    x: { domain: [0, 1], label: "fractional rank", labelArrow: "none" },
    // Facet labels take the left side, so the differences' axis goes on the right.
    y: faceted ? { label: null, grid: true, ticks: 3, axis: "right" } : { label: "ECDF − uniform", grid: true },
    fy: faceted ? { domain: labels, label: null, padding: 0.12, axis: "left" } : undefined,
    marks: [
      banded.data.length
        ? Plot.areaY(banded.data, {
            x: banded.x,
            y1: banded.ys[0],
            y2: banded.ys[1],
            z: banded.z,
            fy: faceted ? banded.fy : undefined,
            curve: "step-after",
            fill: "currentColor",
            fillOpacity: 0.13,
            ariaDescription: "ECDF band",
          })
        : null,
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      ...lines,
    ],
  });
}

/** What the caption says about the bands: how they were made (per shape of chains), and who leaves them. */
function bandNotes(elements: readonly EcdfElement[]): string[] {
  const bands = [...new Map(elements.filter((e) => e.band).map((e) => [e.band!, e])).keys()];
  if (bands.length === 0) return ["No band: it needs two or more chains with the same number of finite draws."];
  const { level, simulations, seed } = bands[0];
  const shapes = bands.map((b) => `${formatCount(b.chains, "chain")} × ${formatNumber(b.draws)} draws, γ = ${b.gamma.toPrecision(3)}`).join("; ");
  const outside = elements.filter((e) => e.outside.length).map((e) => `${e.label} (chain${e.outside.length > 1 ? "s" : ""} ${e.outside.join(", ")})`);
  return [
    `Grey: the ${Math.round(level * 100)}% simultaneous band (Säilynoja, Bürkner & Vehtari 2022), adjusted by simulation: ` +
      `${formatNumber(simulations)} random splits of the pooled ranks (seed ${seed}) set the pointwise hypergeometric level γ (${shapes}).`,
    elements.some((e) => !e.band) ? "Elements with one chain, or chains of different lengths, have no band." : "",
    outside.length ? `Outside the band: ${outside.join("; ")}.` : "Every chain stays inside the band.",
  ];
}

function elementsOf(data: ChainDraws, value: string, by: readonly string[]): RankedElement[] {
  return data.elements.map((element) => ({ label: elementLabel(value, element.keys, by), ranked: chainRanks(element) }));
}

export const panel: PanelKind = {
  kind: "rank",
  title: "Rank",
  order: 62,
  options: [
    { key: "value", label: "Value", type: "value" },
    {
      key: "style",
      label: "Show",
      type: "choice",
      choices: [
        { value: "bars", label: "rank histograms" },
        { value: "ecdf", label: "ECDF differences" },
      ],
      default: "bars",
    },
    { key: "bins", label: "Bins", type: "number", min: 2, max: 100, step: 1, default: 20 },
  ],
  render(table, options, { width }) {
    const value = String(options.value);
    const by = elementColumns(table, value);
    const data = chainDraws(table, value, by, { limit: MAX_RANK_FACETS });
    const elements = elementsOf(data, value, by);
    const series = data.elements[0]?.series ?? [];
    // Chains of any element (stacked groups may differ: a prior with one chain), in chain order.
    const shown = data.chains.filter((c) => data.elements.some((e) => e.series.some((s) => s.chain === c)));
    const facetText = elements.length > 1 ? ` in ${formatCount(elements.length, "facet")}` : "";
    const notes = [
      "Draws of all chains ranked together (ties get their average rank), per element.",
      data.total > elements.length ? `Showing the first ${formatNumber(elements.length)} of ${formatNumber(data.total)} elements of ${value}: narrow the query to see others.` : "",
    ];
    const node = document.createElement("div");
    node.className = "rank-figure";

    if (options.style === "ecdf") {
      const ecdfs = elements.map(ecdfElement);
      node.append(chainLegend(data.chains, shown), ecdfFigure(ecdfs, data.chains, shown, width));
      const points = ecdfs[0]?.points ?? 0;
      notes.push(`Per chain, the ECDF of its fractional ranks (rank / draws pooled) minus the uniform CDF, at ${formatNumber(points + 1)} points.`, ...bandNotes(ecdfs));
      return { name: `Rank ECDF differences of ${value}: ${series.length ? drawsPhrase(series) : "no draws"}${facetText}`, caption: notes.filter((n) => n).join(" "), node };
    }

    const bins = Math.round(Number(options.bins));
    node.append(barsFigure(elements, data.chains, shown, bins, width));
    const perBin = series.length ? series[0].values.length / bins : 0;
    notes.push(
      `Per chain, a histogram of its ranks in ${formatNumber(bins)} bins; the dashed line is the count each bin expects when the chains mix well ` +
        `(draws / bins${Number.isInteger(perBin) ? ` = ${formatNumber(perBin)}` : ""}).`,
    );
    return { name: `Rank plot of ${value}: ${series.length ? drawsPhrase(series) : "no draws"}${facetText}, ${formatNumber(bins)} bins`, caption: notes.filter((n) => n).join(" "), node };
  },
};
