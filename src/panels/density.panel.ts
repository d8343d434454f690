import * as Plot from "@observablehq/plot";
import { BANDWIDTH_RULE, kde } from "../engine/stats/kde.ts";
import { splitByLabels } from "../engine/split.ts";
import { formatCount, formatNumber, plotStyle } from "./style.ts";
import type { PanelKind } from "./types.ts";

/** More facets than this would be unreadable rows a few pixels high: curves are overlaid instead. */
const MAX_FACETS = 24;
/** A legend with more entries than this says less than the curves' own labels on hover. */
const MAX_LEGEND = 12;
const POINTS = 256;
/** Beyond this many curves a density panel is a smear that costs seconds: the rest are left out. */
const MAX_CURVES = 120;

export const panel: PanelKind = {
  kind: "density",
  title: "Density",
  order: 10,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "facet", label: "Facet by", type: "dim", none: "none (overlay)" },
    { key: "color", label: "Colour by", type: "dim", none: "one colour" },
    { key: "adjust", label: "Bandwidth ×", type: "number", min: 0.1, max: 10, step: 0.1, default: 1 },
    { key: "fill", label: "Fill", type: "boolean", default: true },
  ],
  // Facet draws by what the value varies over (a scalar such as sigma gets one curve), colour by
  // source. Data (observed y over obs_ind) has one value per label: its density is over all rows.
  dimDefaults: ({ valueDims, source, sampled }) => {
    const by = sampled ? (valueDims[0] ?? "") : "";
    return { facet: by, color: source ? "source" : by };
  },
  render(table, options, { width }) {
    const value = String(options.value);
    let facet = String(options.facet);
    const color = String(options.color);
    const adjust = Number(options.adjust);
    const by = [...new Set([facet, color].filter((c) => c !== ""))];
    const { groups, labels, total } = splitByLabels(table, value, by, MAX_CURVES);
    const facetLabels = facet ? labels[by.indexOf(facet)] : [];
    const notes: string[] = [];
    if (total > groups.length) {
      notes.push(`Showing the first ${formatNumber(groups.length)} of ${formatNumber(total)} curves: facet or colour by another dimension, or narrow the query.`);
    }
    if (facetLabels.length > MAX_FACETS) {
      notes.push(`${formatNumber(facetLabels.length)} levels of ${facet} are too many to facet: overlaid.`);
      facet = "";
    }
    const colorLabels = color ? labels[by.indexOf(color)] : [];

    // One curve per group, laid end to end in columns for Plot (no row objects).
    const curves = groups.map((g) => ({ keys: g.keys, estimate: kde(g.values, { points: POINTS, adjust }) }));
    const length = curves.reduce((a, c) => a + c.estimate.x.length, 0);
    const x = new Float64Array(length);
    const y = new Float64Array(length);
    const series = new Int32Array(length);
    const facetOf: (string | number)[] = new Array(length);
    const colorOf: (string | number)[] = new Array(length);
    const nameOf: string[] = new Array(length);
    let at = 0;
    curves.forEach(({ keys, estimate }, s) => {
      const f = facet ? keys[by.indexOf(facet)] : "";
      const c = color ? keys[by.indexOf(color)] : "";
      const name = [...new Set(keys.map(String))].join(" · ") || value;
      x.set(estimate.x, at);
      y.set(estimate.density, at);
      for (let i = 0; i < estimate.x.length; i++, at++) {
        series[at] = s;
        facetOf[at] = f;
        colorOf[at] = c;
        nameOf[at] = name;
      }
    });
    const data = { length };
    const stroke = color ? colorOf : "currentColor";
    const fy = facet ? facetOf : undefined;
    const bandwidths = curves.map((c) => c.estimate.bandwidth).filter(Number.isFinite);
    const faceted = facet !== "";
    const facetCount = faceted ? facetLabels.length : 1;
    const node = Plot.plot({
      ...plotStyle,
      width,
      height: faceted ? Math.max(160, 28 + facetCount * Math.max(48, Math.min(110, 480 / facetCount))) : 300,
      marginLeft: faceted ? Math.min(180, 14 + 7 * Math.max(...facetLabels.map((l) => String(l).length))) : 52,
      marginRight: 20,
      x: { label: value, grid: true },
      y: faceted ? { axis: null } : { label: "density", grid: true },
      fy: faceted ? { label: null, domain: facetLabels, padding: 0.12, axis: "left" } : undefined,
      color: color ? { type: "categorical", domain: colorLabels, legend: color !== facet && colorLabels.length > 1 && colorLabels.length <= MAX_LEGEND } : undefined,
      marks: [
        options.fill ? Plot.areaY(data, { x, y, z: series, fill: stroke, fillOpacity: 0.14, fy, ariaHidden: "true" }) : null,
        Plot.lineY(data, { x, y, z: series, stroke, strokeWidth: curves.length > 40 ? 0.8 : 1.5, fy, ariaLabel: nameOf, ariaDescription: "density curves", title: nameOf }),
        faceted ? Plot.ruleY(facetLabels, { y: 0, fy: (f) => f, strokeOpacity: 0.4 }) : Plot.ruleY([0], { strokeOpacity: 0.4 }),
      ],
    });
    const split = by.length ? ` by ${by.join(" and ")}` : "";
    const bw =
      bandwidths.length === 0
        ? "no finite draws"
        : bandwidths.length === 1
          ? `bandwidth ${bandwidths[0].toPrecision(3)}`
          : `bandwidths ${Math.min(...bandwidths).toPrecision(3)}–${Math.max(...bandwidths).toPrecision(3)}`;
    return {
      name: `Density of ${value}${split}: ${formatCount(curves.length, "curve")}${faceted ? ` in ${formatCount(facetCount, "facet")}` : ""}`,
      caption: [`Gaussian KDE, ${bw}${adjust !== 1 ? ` (× ${adjust})` : ""}; ${BANDWIDTH_RULE}.`, ...notes].join(" "),
      node,
    };
  },
};
