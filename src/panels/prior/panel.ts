import * as Plot from "@observablehq/plot";
import type { Density } from "../../engine/stats/kde.ts";
import { extentOf, INNER_OPTION, INTERVAL_OPTION, intervalsPhrase, OUTER_OPTION, OWN_DIMS, POINT_OPTION } from "../intervals.ts";
import { intervalMarks, niceDomain, type IntervalItem } from "../row-chart.ts";
import { formatCount, formatNumber, plotStyle } from "../style.ts";
import type { PanelKind } from "../types.ts";
import { RANGE_PROB, type PriorData } from "./data.ts";

/** Heights in pixels: the curves' band, one interval lane per source, the gap between them. */
const CURVES_HEIGHT = 96;
const LANE_HEIGHT = 13;
const GAP = 6;

export const panel: PanelKind<PriorData> = {
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
  // How tall the curves are drawn and what the x axis spans change the drawing, not the curves.
  drawOnly: ["heights", "range"],
  derived: "Interval summary",
  dimDefaults: () => ({ facet: "" }),
  render(data, options, { width }) {
    const { value, facetDims, source, sources, focus, point, interval, probs, facets } = data;
    const peaks = options.heights !== "density";
    const lanes = sources.length;
    const columns = Math.max(1, Math.min(facets.length, Math.floor(width / 360)));
    const cellWidth = Math.floor((width - 16 * (columns - 1)) / columns);
    const base = lanes * LANE_HEIGHT + GAP;
    const grid = document.createElement("div");
    grid.style.cssText = `display: grid; grid-template-columns: repeat(${columns}, minmax(0, 1fr)); gap: 8px 16px;`;
    for (const facet of facets) {
      const ranged = options.range === "posterior" ? facet.parts.filter((p) => p.source === focus) : facet.parts;
      const domain = niceDomain(extentOf([(ranged.length ? ranged : facet.parts).flatMap((p) => p.range)]));
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
      const rows = { length };
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
            Plot.areaY(rows, { x, y1: base, y2: top, z: series, fill: stroke, fillOpacity: 0.15, clip: true, ariaHidden: "true" }),
            Plot.lineY(rows, {
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
            intervalMarks(items, { pointKind: point, intervalKind: interval, colored: source !== "", radius: 3, thick: 3.5, thin: 1.5, clip: true }),
          ],
        }),
      );
      grid.append(cell);
    }
    const node = document.createElement("div");
    if (source) node.append(Plot.legend({ color: { type: "categorical", domain: sources }, ...plotStyle }));
    node.append(grid);

    const notes: string[] = [];
    if (!source) notes.push(`Only one group is read: pick both posterior and prior in "Groups to read from" to compare them.`);
    if (facets.length < data.facetCount) notes.push(`Showing the first ${formatNumber(facets.length)} of ${formatNumber(data.facetCount)} facets.`);
    const split = facetDims.length ? ` by ${facetDims.join(" and ")}` : "";
    return {
      name: `Prior vs posterior of ${value}${split}: ${formatCount(sources.length, "source")} in ${formatCount(facets.length, "facet")}`,
      caption: [
        ...notes,
        peaks ? "Each curve is scaled to its own peak, so a narrow posterior and a wide prior both show (their heights are not comparable)." : "Curves are true densities, on one scale per facet.",
        options.range === "posterior"
          ? `Each facet's x axis spans the ${focus}'s central ${RANGE_PROB * 100}% (wider curves run off the edges).`
          : `Each facet's x axis spans the central ${RANGE_PROB * 100}% of every source.`,
        `Below the curves: ${point} with ${intervalsPhrase(probs, interval)}${source ? ", one line per source" : ""}.`,
        data.estimation,
      ].join(" "),
      node,
    };
  },
};
