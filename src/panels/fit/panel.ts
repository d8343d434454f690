import * as Plot from "@observablehq/plot";
import { formatCount, formatNumber, plotStyle } from "../style.ts";
import type { PanelKind } from "../types.ts";
import { MAX_POINTS, type FitData } from "./data.ts";

const BANDS = [
  { value: "0.5,0.8,0.95", label: "50/80/95%" },
  { value: "0.5,0.89", label: "50/89%" },
  { value: "0.89", label: "89%" },
];

const percent = (p: number) => `${Number((p * 100).toFixed(1))}`;

export const panel: PanelKind<FitData> = {
  kind: "fit",
  title: "Fit and data",
  order: 50,
  options: [
    { key: "draws", label: "Draws of", type: "value" },
    { key: "x", label: "x", type: "column", none: "auto" },
    { key: "observed", label: "Observed", type: "column", none: "auto" },
    { key: "points", label: "Points", type: "boolean", default: true },
    { key: "group", label: "Group by", type: "column", none: "no groups" },
    {
      key: "layout",
      label: "Groups as",
      type: "choice",
      choices: [
        { value: "color", label: "colours" },
        { value: "facet", label: "facets" },
      ],
      default: "color",
    },
    { key: "bands", label: "Intervals", type: "choice", choices: BANDS, default: BANDS[0].value },
    { key: "spaghetti", label: "Single draws", type: "number", min: 0, max: 200, step: 1, default: 0 },
  ],
  // Whether points are drawn, and groups as colours or facets, change the drawing only.
  drawOnly: ["points", "layout"],
  derived: "Fit bands",
  render(fit, options, { width }) {
    const { draws, x, group, groups, sources, spaghetti, probs, xs, count: n } = fit;
    const notes = [...fit.notes];
    const facet = group !== "" && options.layout === "facet";
    // Groups keep their colour in facets too; the legend is only needed when they share one plot.
    const colored = group !== "";
    const stacked = sources.length > 0;

    // Columns for Plot, in the observations' order.
    const groupOf = Array.from(fit.groupIndex, (g) => (g < 0 ? "" : groups[g]));
    const sourceOf = Array.from(fit.sourceIndex, (s) => (s < 0 ? "" : sources[s]));
    const series = Array.from({ length: n }, (_, i) => `${sourceOf[i]}\u0000${groupOf[i]}`);
    // Number codes (group_idx 2) need their column's name to mean anything; labels (North) do not.
    const groupName = (g: string | number) => (typeof g === "number" ? `${group} ${g}` : g);
    const seriesName = Array.from(
      { length: n },
      (_, i) => [fit.sourceIndex[i] < 0 ? undefined : sourceOf[i], fit.groupIndex[i] < 0 ? undefined : groupName(groupOf[i])].filter((s) => s !== undefined).join(" · ") || draws,
    );
    const data = { length: n };
    const fill = colored ? groupOf : "currentColor";
    const fy = facet ? groupOf : undefined;
    const fx = stacked ? sourceOf : undefined;
    const widest = [...probs].sort((a, b) => b - a);
    const ribbons = widest.map((p, layer) => {
      const j = probs.indexOf(p);
      return Plot.areaY(data, {
        x: xs,
        y1: fit.lower[j],
        y2: fit.upper[j],
        z: series,
        fill,
        fillOpacity: layer === 0 ? 0.14 : 0.18,
        fx,
        fy,
        ariaLabel: seriesName,
        ariaDescription: `${percent(p)}% interval`,
      });
    });
    // Single draws, laid end to end: line p's observation i is at p * n + i.
    const traceCount = spaghetti.length * n;
    const seriesIndex = new Map<string, number>();
    for (const s of series) if (!seriesIndex.has(s)) seriesIndex.set(s, seriesIndex.size);
    const traceX = new Float64Array(traceCount);
    const traceY = new Float64Array(traceCount);
    const traceZ = new Int32Array(traceCount);
    const traceName: string[] = new Array(traceCount);
    spaghetti.forEach((line, p) => {
      for (let i = 0; i < n; i++) {
        const at = p * n + i;
        traceX[at] = xs[i];
        traceY[at] = line.values[i];
        traceZ[at] = p * seriesIndex.size + seriesIndex.get(series[i])!;
        traceName[at] = seriesName[i] === draws ? line.label : `${line.label} (${seriesName[i]})`;
      }
    });
    const repeat = <T>(values: readonly T[]) => Array.from({ length: traceCount }, (_, at) => values[at % n]);
    const spaghettiMark =
      traceCount > 0
        ? Plot.lineY(
            { length: traceCount },
            {
              x: traceX,
              y: traceY,
              z: traceZ,
              stroke: colored ? repeat(groupOf) : "currentColor",
              strokeWidth: 0.7,
              strokeOpacity: 0.45,
              fx: stacked ? repeat(sourceOf) : undefined,
              fy: facet ? repeat(groupOf) : undefined,
              ariaLabel: traceName,
              ariaDescription: "single draws",
            },
          )
        : null;
    const points = fit.observed !== "" && options.points && n <= MAX_POINTS;
    if (fit.observed !== "" && options.points && !points) notes.push(`${formatNumber(n)} observed points are too many to draw (at most ${formatNumber(MAX_POINTS)}).`);
    const groupCount = facet ? groups.length : 1;
    const node = Plot.plot({
      ...plotStyle,
      width,
      height: facet ? 40 + groupCount * Math.max(140, Math.min(240, 720 / groupCount)) : 380,
      marginLeft: 52,
      marginRight: facet ? 70 : 20,
      x: { label: x, grid: true },
      y: { label: draws, grid: true },
      fx: stacked ? { label: null, domain: sources } : undefined,
      fy: facet ? { label: group, domain: groups } : undefined,
      color: colored ? { type: "categorical", domain: groups, legend: !facet, tickFormat: groupName } : undefined,
      marks: [
        ...ribbons,
        spaghettiMark,
        Plot.lineY(data, { x: xs, y: fit.median, z: series, stroke: fill, strokeWidth: 2, fx, fy, ariaLabel: seriesName, ariaDescription: "median line" }),
        points
          ? Plot.dot(data, {
              x: xs,
              y: fit.observedValues,
              r: 3,
              fill: colored ? groupOf : "currentColor",
              stroke: "var(--panel, white)",
              strokeWidth: 0.6,
              fx,
              fy,
              ariaLabel: fit.labels.map((label, i) => `${label}: ${x} ${Number(xs[i].toPrecision(4))}, ${fit.observed} ${Number(fit.observedValues[i].toPrecision(4))}`),
              ariaDescription: `observed ${fit.observed}`,
            })
          : null,
      ],
    });
    const bandText = `${widest
      .slice()
      .reverse()
      .map((p) => percent(p))
      .join("/")}% intervals`;
    const parts = [`${formatCount(n, "observation")}`, bandText];
    if (points) parts.push(`observed ${fit.observed}`);
    if (group) parts.push(`${facet ? "faceted" : "coloured"} by ${group} (${formatCount(groups.length, "group")})`);
    if (spaghetti.length) parts.push(formatCount(spaghetti.length, "single draw"));
    const { drawCount } = fit;
    return {
      name: `Fit of ${draws} against ${x}: ${parts.join(", ")}`,
      caption: [
        `Median (line) and equal-tailed ${bandText} of ${draws}${drawCount === undefined ? "" : ` (${formatCount(drawCount, "draw")} per observation)`}, ordered by ${x}.` +
          (spaghetti.length
            ? ` Thin lines: ${spaghetti.length === 1 ? "one draw" : `${spaghetti.length} draws`} (${spaghetti[0].label}${spaghetti.length > 1 ? ", …" : ""}), the same for every observation.`
            : ""),
        ...notes,
      ].join(" "),
      node,
    };
  },
};
