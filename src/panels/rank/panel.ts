import * as Plot from "@observablehq/plot";
import { chainColours, chainLegend, chainScale } from "../chain-style.ts";
import { labelMargin, leftLabels } from "../labels.ts";
import { plotStyle } from "../style.ts";
import type { PanelKind } from "../types.ts";
import type { BandCurve, RankBars, RankData, RankEcdf } from "./data.ts";

const rowHeight = (rows: number) => (rows === 1 ? 200 : rows <= 4 ? 110 : 84);

/** Per element and chain, a histogram of the chain's pooled ranks, with the count each bin expects. */
function barsFigure(elements: readonly RankBars[], bins: number, chains: readonly string[], shown: readonly string[], width: number) {
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  const fx: string[] = [];
  const fy: string[] = [];
  const expected: { fx: string; fy: string; y: number }[] = [];
  for (const { label, chains: own, counts, ranks, total } of elements) {
    counts.forEach((chainCounts, c) => {
      chainCounts.forEach((count, b) => {
        x1.push((b * total) / bins);
        x2.push(((b + 1) * total) / bins);
        y.push(count);
        fx.push(own[c]);
        fy.push(label);
      });
      expected.push({ fx: own[c], fy: label, y: ranks[c] / bins });
    });
  }
  const labels = elements.map((e) => e.label);
  const faceted = labels.length > 1;
  return Plot.plot({
    ...plotStyle,
    width,
    height: 60 + labels.length * rowHeight(labels.length),
    marginLeft: faceted ? labelMargin(labels, width) : 44,
    marginRight: 12,
    marginTop: 24,
    marginBottom: 36,
    x: { label: "rank (all chains pooled)", labelArrow: "none", ticks: 3 },
    y: { label: faceted ? null : "draws", axis: faceted ? null : "left", grid: true },
    fx: { domain: shown, label: null, tickFormat: (c: string) => `chain ${c}`, axis: "top", padding: 0.08 },
    fy: faceted ? { domain: labels, label: null, padding: 0.15, axis: null } : undefined,
    color: chainScale(chains, shown),
    marks: [
      faceted ? leftLabels("fy", labelMargin(labels, width)) : null,
      Plot.rectY({ length: y.length }, { x1, x2, y1: 0, y2: y, fx, fy: faceted ? fy : undefined, fill: fx, insetLeft: 0.5, insetRight: 0.5, ariaDescription: "rank bars" }),
      Plot.ruleY(expected, { y: "y", fx: "fx", fy: faceted ? "fy" : undefined, stroke: "currentColor", strokeDasharray: "4 3", strokeWidth: 1.2, ariaDescription: "uniform expectation" }),
      Plot.ruleY([0], { strokeOpacity: 0.4 }),
    ],
  });
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
function ecdfFigure(elements: readonly RankEcdf[], bands: readonly BandCurve[], chains: readonly string[], shown: readonly string[], width: number) {
  const labels = elements.map((e) => e.label);
  const faceted = labels.length > 1;
  const colours = chainColours(chains);
  const gridOf = (e: RankEcdf) => Float64Array.from({ length: e.points + 1 }, (_, k) => k / e.points);
  const banded = concatenated(elements.filter((e) => e.band >= 0).map((e) => ({ fy: e.label, x: bands[e.band].z, ys: [bands[e.band].lower, bands[e.band].upper] })));
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
    marginLeft: faceted ? labelMargin(labels, width) : 52,
    marginRight: faceted ? 48 : 16,
    marginTop: 10,
    marginBottom: 38,
    x: { domain: [0, 1], label: "fractional rank", labelArrow: "none" },
    // Facet labels take the left side, so the differences' axis goes on the right.
    y: faceted ? { label: null, grid: true, ticks: 3, axis: "right" } : { label: "ECDF − uniform", grid: true },
    fy: faceted ? { domain: labels, label: null, padding: 0.12, axis: null } : undefined,
    marks: [
      faceted ? leftLabels("fy", labelMargin(labels, width)) : null,
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

export const panel: PanelKind<RankData> = {
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
  render(data, _options, { width }) {
    const { view, chains, shown } = data;
    const node = document.createElement("div");
    node.className = "rank-figure";
    if (view.style === "ecdf") node.append(chainLegend(chains, shown), ecdfFigure(view.elements, view.bands, chains, shown, width));
    else node.append(barsFigure(view.elements, view.bins, chains, shown, width));
    return { name: data.name, caption: data.notes.join(" "), node };
  },
};
