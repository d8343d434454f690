import { MODEL } from "../../engine/stack-models.ts";
import * as Plot from "@observablehq/plot";
import type { ContrastMode } from "../../engine/stats/contrast.ts";
import { formatProb, formatValue, INTERVAL_OPTION, POINT_OPTION } from "../intervals.ts";
import { labelMargin, leftLabels } from "../labels.ts";
import { formatCount, formatNumber, plotStyle } from "../style.ts";
import type { PanelKind } from "../types.ts";
import type { ContrastData } from "./data.ts";
import type { ContrastRow } from "./rows.ts";

const MODE_WORDS: Record<ContrastMode, string> = { reference: "against a reference", pairs: "all pairs", previous: "each vs the previous" };

/** A probability to two decimals, without rounding a near-certainty to a certainty. */
export function formatProbability(p: number): string {
  if (Number.isNaN(p)) return "n/a";
  if (p > 0.99 && p < 1) return "> 0.99";
  if (p > 0 && p < 0.01) return "< 0.01";
  return p.toFixed(2);
}

/** "P(>0) = 0.73", or "P(>0) > 0.99" where the probability is only bounded. */
export function aboveZeroText(p: number): string {
  const text = formatProbability(p);
  return /^[<>]/.test(text) ? `P(>0) ${text}` : `P(>0) = ${text}`;
}

export const panel: PanelKind<ContrastData> = {
  kind: "contrast",
  title: "Contrasts",
  order: 40,
  options: [
    { key: "value", label: "Value", type: "value" },
    { key: "dim", label: "Between", type: "dim" },
    {
      key: "mode",
      label: "Compare",
      type: "choice",
      choices: (Object.keys(MODE_WORDS) as ContrastMode[]).map((m) => ({ value: m, label: MODE_WORDS[m] })),
      default: "reference",
    },
    { key: "level", label: "Reference", type: "level", of: "dim" },
    POINT_OPTION,
    INTERVAL_OPTION,
    { key: "prob", label: "Prob", type: "number", min: 0.01, max: 1, step: 0.01, default: 0.89 },
    // 0 draws no inner interval.
    { key: "inner", label: "Inner prob", type: "number", min: 0, max: 0.99, step: 0.01, default: 0.5 },
  ],
  // Compare the levels of what the value varies over; a scalar's sources (posterior − prior) when stacked.
  // Never across models by default: their draws are not paired.
  dimDefaults: ({ valueDims, source }): Record<string, string> => {
    const dim = valueDims.find((d) => d !== MODEL) ?? (source ? "source" : undefined);
    return dim ? { dim } : {};
  },
  derived: "Contrast draws",
  render(data, _options, { width }) {
    const { value, dim, mode, reference, point, interval, probs, rows, notes } = data;
    const [prob, inner] = probs;
    const labels = [...new Set(rows.map((r) => r.label))];
    const sources = [...new Set(rows.flatMap((r) => (r.source === undefined ? [] : [r.source])))];
    const stacked = sources.length > 0;
    const intervalName = `${formatProb(prob)} ${interval.toUpperCase()}`;
    const describe = (r: ContrastRow) => {
      const [outer] = r.summary.intervals;
      const where = r.source === undefined ? r.label : `${r.label} (${r.source})`;
      return `${where}: ${point} ${formatValue(r.summary.point)}, ${intervalName} [${formatValue(outer.lower)}, ${formatValue(outer.upper)}], ${aboveZeroText(r.above / r.summary.n)} (${formatNumber(r.above)} of ${formatCount(r.summary.n, "draw")})`;
    };
    // Stacked groups are dodged: one facet row per contrast, one line per source inside it.
    const y = (r: ContrastRow) => (stacked ? r.source : r.label);
    const fy = stacked ? (r: ContrastRow) => r.label : undefined;
    const stroke = stacked ? (r: ContrastRow) => r.source : "currentColor";
    const rowHeight = stacked ? 10 + 16 * sources.length : 28;
    const labelWidth = labelMargin(labels, width);
    const node = Plot.plot({
      ...plotStyle,
      width,
      height: 50 + labels.length * rowHeight,
      marginLeft: labelWidth,
      marginRight: 110,
      x: { label: `difference in ${value}`, grid: true },
      y: stacked ? { axis: null, domain: sources } : { axis: null, domain: labels },
      fy: stacked ? { label: null, domain: labels, padding: 0.15, axis: null } : undefined,
      color: stacked ? { type: "categorical", domain: sources, legend: true } : undefined,
      marks: [
        leftLabels(stacked ? "fy" : "y", labelWidth),
        Plot.ruleX([0], { strokeDasharray: "4,3", strokeOpacity: 0.7, ariaDescription: "zero line" }),
        Plot.ruleY(rows, {
          y,
          fy,
          x1: (r: ContrastRow) => r.summary.intervals[0].lower,
          x2: (r: ContrastRow) => r.summary.intervals[0].upper,
          stroke,
          strokeWidth: 1.5,
          ariaLabel: describe,
          ariaDescription: "contrast intervals",
          title: describe,
        }),
        probs.length > 1
          ? Plot.ruleY(rows, {
              y,
              fy,
              x1: (r: ContrastRow) => r.summary.intervals[1].lower,
              x2: (r: ContrastRow) => r.summary.intervals[1].upper,
              stroke,
              strokeWidth: 4,
              ariaHidden: "true",
            })
          : null,
        Plot.dot(rows, { x: (r: ContrastRow) => r.summary.point, y, fy, fill: stroke, r: 3.5, ariaHidden: "true" }),
        Plot.text(rows, {
          y,
          fy,
          text: (r: ContrastRow) => aboveZeroText(r.above / r.summary.n),
          frameAnchor: "right",
          textAnchor: "start",
          dx: 10,
          fill: stacked ? stroke : "currentColor",
          ariaDescription: "P(>0)",
        }),
      ],
    });
    const against = mode === "reference" ? ` vs ${reference}` : `, ${MODE_WORDS[mode]}`;
    // Every row has the same number of draws unless some are NaN.
    const n = rows.length > 0 && rows.every((r) => r.summary.n === rows[0].summary.n) ? rows[0].summary.n : undefined;
    return {
      name: `Contrasts of ${value} between ${dim}${against}: ${formatCount(rows.length, "row")}`,
      caption: [
        `Within-draw differences of ${value}: ${point} and ${intervalName}${inner === undefined ? "" : ` (thick: ${formatProb(inner)})`}` +
          `${n === undefined ? "" : ` of ${formatCount(n, "draw")} each`}; P(>0) is the share of a contrast's draws above zero. Dashed line at zero.`,
        ...notes,
      ].join(" "),
      node,
    };
  },
};
