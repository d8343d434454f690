import * as Plot from "@observablehq/plot";
import { tableColumns } from "../engine/columns.ts";
import { splitByLabels } from "../engine/split.ts";
import { autoBounds, kde, type Density } from "../engine/stats/kde.ts";
import { sortedDraws, sortedQuantile, summarizeSorted, summaryTable, type GroupedSummary, type Summary } from "../engine/stats/summary.ts";
import {
  extentOf,
  INNER_OPTION,
  INTERVAL_OPTION,
  intervalKind,
  intervalMarks,
  intervalsPhrase,
  niceDomain,
  OUTER_OPTION,
  OWN_DIMS,
  POINT_OPTION,
  pointKind,
  probsOf,
  rowColumns,
  rowLabel,
  type IntervalItem,
} from "./intervals.ts";
import { autoBoundsText, formatCount, formatNumber, kdeDescription, plotStyle } from "./style.ts";
import type { PanelKind } from "./types.ts";

/** More facets than this are too many small plots to compare: the rest are left out. */
const MAX_FACETS = 24;
const POINTS = 256;
/** Heights in pixels: the curves' band, one interval lane per source, the gap between them. */
const CURVES_HEIGHT = 96;
const LANE_HEIGHT = 13;
const GAP = 6;
/** Each facet's x axis spans this central probability of each source's draws (tails beyond are clipped). */
const RANGE_PROB = 0.99;

/** The groups a stacked table's source column names: the posterior is the one to keep readable. */
const POSTERIOR = "posterior";

export const panel: PanelKind = {
  kind: "prior",
  title: "Prior vs posterior",
  order: 45,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "facet", label: "Facet by", type: "dim", none: OWN_DIMS },
    POINT_OPTION,
    INTERVAL_OPTION,
    INNER_OPTION,
    OUTER_OPTION,
    {
      key: "heights",
      label: "Heights",
      type: "choice",
      choices: [
        { value: "peak", label: "each curve to its peak" },
        { value: "density", label: "true density" },
      ],
      default: "peak",
    },
    {
      key: "range",
      label: "x range",
      type: "choice",
      choices: [
        { value: "both", label: "both sources" },
        { value: "posterior", label: "the posterior" },
      ],
      default: "both",
    },
    { key: "adjust", label: "Bandwidth ×", type: "number", min: 0.1, max: 10, step: 0.1, default: 1 },
  ],
  dimDefaults: () => ({ facet: "" }),
  render(table, options, { width }) {
    const value = String(options.value);
    const point = pointKind(options.point);
    const interval = intervalKind(options.interval);
    const probs = probsOf(options.inner, options.outer);
    const adjust = Number(options.adjust);
    const peaks = options.heights !== "density";
    const source = tableColumns(table).find((c) => c.role === "source")?.name;
    const facetDims = rowColumns(table, value, String(options.facet), false).filter((d) => d !== source);
    const by = source ? [...facetDims, source] : facetDims;
    const { groups, labels } = splitByLabels(table, value, by);
    const sources = source ? labels[by.length - 1].map(String) : [""];
    // The density panel's automatic bounds, over both sources: a positive parameter (sigma, tau)
    // has no prior or posterior mass below 0.
    const auto = autoBounds(groups.map((g) => g.values), value);
    const bounds = auto.bounds;
    const focus = sources.includes(POSTERIOR) ? POSTERIOR : sources[0];

    // One facet per level of the facet dims, holding each source's draws.
    const facets: { label: string; keys: (string | number)[]; parts: { source: string; sorted: Float64Array; density: Density; summary: Summary }[] }[] = [];
    const facetOf = new Map<string, number>();
    for (const g of groups) {
      const keys = g.keys.slice(0, facetDims.length);
      const label = rowLabel(keys, value);
      let at = facetOf.get(label);
      if (at === undefined) {
        at = facets.length;
        facetOf.set(label, at);
        facets.push({ label, keys, parts: [] });
      }
      const sorted = sortedDraws(g.values);
      facets[at].parts.push({
        source: source ? String(g.keys[by.length - 1]) : "",
        sorted,
        density: kde(sorted, { points: POINTS, adjust, ...bounds }),
        summary: summarizeSorted(sorted, { point, interval, probs }),
      });
    }
    const shown = facets.slice(0, MAX_FACETS);

    const lanes = sources.length;
    const columns = Math.max(1, Math.min(shown.length, Math.floor(width / 360)));
    const cellWidth = Math.floor((width - 16 * (columns - 1)) / columns);
    const base = lanes * LANE_HEIGHT + GAP;
    const grid = document.createElement("div");
    grid.style.cssText = `display: grid; grid-template-columns: repeat(${columns}, minmax(0, 1fr)); gap: 8px 16px;`;
    for (const facet of shown) {
      const tail = (1 - RANGE_PROB) / 2;
      const ranged = options.range === "posterior" ? facet.parts.filter((p) => p.source === focus) : facet.parts;
      const ends = (ranged.length ? ranged : facet.parts).flatMap((p) => [sortedQuantile(p.sorted, tail), sortedQuantile(p.sorted, 1 - tail)]);
      const domain = niceDomain(extentOf([ends]));
      // Heights: each curve to its own peak (a narrow posterior and a wide prior both fill the
      // band), or true densities on one scale for the facet.
      const peakOf = (d: Density) => d.density.reduce((a, v) => Math.max(a, v), 0);
      const facetPeak = facet.parts.reduce((a, p) => Math.max(a, peakOf(p.density)), 0);
      const length = facet.parts.reduce((a, p) => a + p.density.x.length, 0);
      const x = new Float64Array(length);
      const top = new Float64Array(length);
      const series: string[] = new Array(length);
      let at = 0;
      for (const p of facet.parts) {
        const scale = (CURVES_HEIGHT * 0.95) / ((peaks ? peakOf(p.density) : facetPeak) || 1);
        p.density.x.forEach((v, i) => {
          x[at] = v;
          top[at] = base + p.density.density[i] * scale;
          series[at++] = p.source;
        });
      }
      const curveNames = facet.parts.map((p) => (source ? `${facet.label} · ${p.source}` : facet.label));
      const items: IntervalItem[] = facet.parts.map((p, j) => ({
        label: curveNames[j],
        y: (lanes - sources.indexOf(p.source) - 0.5) * LANE_HEIGHT,
        color: p.source,
        summary: p.summary,
      }));
      const data = { length };
      const stroke = source ? series : "currentColor";
      const cell = document.createElement("div");
      const title = document.createElement("div");
      title.textContent = facet.label;
      title.style.cssText = "font-size: 12px; font-weight: 600;";
      cell.append(
        title,
        Plot.plot({
          ...plotStyle,
          width: cellWidth,
          height: base + CURVES_HEIGHT + 8 + 30,
          marginTop: 8,
          marginBottom: 30,
          marginLeft: 12,
          marginRight: 12,
          ariaLabel: facet.label,
          ariaDescription: "prior vs posterior facet",
          x: { domain, label: value, grid: true },
          y: { domain: [0, base + CURVES_HEIGHT], axis: null },
          color: source ? { type: "categorical", domain: sources } : undefined,
          marks: [
            Plot.areaY(data, { x, y1: base, y2: top, z: series, fill: stroke, fillOpacity: 0.15, clip: true, ariaHidden: "true" }),
            Plot.lineY(data, {
              x,
              y: top,
              z: series,
              stroke,
              strokeWidth: 1.5,
              clip: true,
              ariaDescription: "density curves",
              ariaLabel: facet.parts.flatMap((p, j) => Array.from(p.density.x, () => curveNames[j])),
            }),
            Plot.ruleY([base], { strokeOpacity: 0.3 }),
            intervalMarks(items, { pointKind: point, intervalKind: interval, colored: source !== undefined, radius: 3, thick: 3.5, thin: 1.5, clip: true }),
          ],
        }),
      );
      grid.append(cell);
    }
    const node = document.createElement("div");
    if (source) node.append(Plot.legend({ color: { type: "categorical", domain: sources }, ...plotStyle }));
    node.append(grid);

    const summary: GroupedSummary = {
      value,
      by,
      options: { point, interval, probs },
      rows: facets.flatMap((f) => f.parts.map((p) => ({ keys: source ? [...f.keys, p.source] : f.keys, summary: p.summary }))),
    };
    const notes: string[] = [];
    if (!source) notes.push(`Only one group is read: pick both posterior and prior in "Groups to read from" to compare them.`);
    if (shown.length < facets.length) notes.push(`Showing the first ${formatNumber(shown.length)} of ${formatNumber(facets.length)} facets.`);
    const split = facetDims.length ? ` by ${facetDims.join(" and ")}` : "";
    const bandwidths = facets.flatMap((f) => f.parts.map((p) => p.density.bandwidth));
    return {
      name: `Prior vs posterior of ${value}${split}: ${formatCount(sources.length, "source")} in ${formatCount(shown.length, "facet")}`,
      caption: [
        ...notes,
        peaks
          ? "Each curve is scaled to its own peak, so a narrow posterior and a wide prior both show (their heights are not comparable)."
          : "Curves are true densities, on one scale per facet.",
        options.range === "posterior"
          ? `Each facet's x axis spans the ${focus}'s central ${RANGE_PROB * 100}% (wider curves run off the edges).`
          : `Each facet's x axis spans the central ${RANGE_PROB * 100}% of every source.`,
        `Below the curves: ${point} with ${intervalsPhrase(probs, interval)}${source ? ", one line per source" : ""}.`,
        kdeDescription(bandwidths, adjust, autoBoundsText(auto)),
      ].join(" "),
      node,
      data: { label: "Interval summary", table: summaryTable(summary) },
    };
  },
};
