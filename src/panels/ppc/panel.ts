import { MODEL } from "../../engine/stack-models.ts";
import * as Plot from "@observablehq/plot";
import { formatCount, formatNumber, plotStyle } from "../style.ts";
import type { PanelKind, PanelOptions } from "../types.ts";
import { joinedLines } from "../joined-lines.ts";
import { STATISTICS, type PpcData, type PpcDrawing } from "./data.ts";

const VIEWS = [
  { value: "density", label: "densities (bars for counts)" },
  { value: "ecdf", label: "ECDF" },
  { value: "pit", label: "PIT-ECDF" },
  { value: "loo-pit", label: "LOO-PIT" },
  { value: "stat", label: "test statistic" },
  { value: "intervals", label: "intervals" },
];

const STATISTIC_LABELS: Record<string, string> = { mean: "mean", sd: "sd", median: "median", min: "min", max: "max", q10: "10% quantile", q90: "90% quantile" };

const PREDICTIVE = "#9ecae1";
const PREDICTIVE_DARK = "#2171b5";
const OBSERVED = "currentColor";
/** Beyond this many observations the intervals are ribbons along x, not a rule and dots each. */
const MAX_RULES = 2_000;

function marksOf(drawing: PpcDrawing, data: PpcData, options: PanelOptions): { marks: Plot.Markish[]; x: Plot.ScaleOptions; y: Plot.ScaleOptions; color?: Plot.ScaleOptions; words: string } {
  const name = data.predictive;
  const observedName = data.observed;
  switch (drawing.view) {
    case "density": {
      const draws = joinedLines(drawing.draws);
      return {
        x: { label: name },
        y: { label: "density", grid: true },
        marks: [
          Plot.line(draws, { x: draws.x, y: draws.y, z: draws.z, stroke: PREDICTIVE, strokeOpacity: 0.5, strokeWidth: 1, ariaDescription: "predictive draws" }),
          Plot.line(
            { length: drawing.pooled.x.length },
            { x: drawing.pooled.x, y: drawing.pooled.y, stroke: PREDICTIVE_DARK, strokeWidth: 2, strokeDasharray: "5 3", ariaDescription: "all predictive draws" },
          ),
          Plot.line({ length: drawing.observed.x.length }, { x: drawing.observed.x, y: drawing.observed.y, stroke: OBSERVED, strokeWidth: 2.5, ariaDescription: "observed" }),
        ],
        words:
          `Densities of ${formatCount(drawing.draws.length, "predictive draw")} of ${name} (light), of all ${formatCount(data.draws, "draw")} together (dashed), ` +
          `and of the observed ${observedName} (dark), each a Gaussian KDE of the ${formatCount(data.observations, "observation")}.`,
      };
    }
    case "bars": {
      const n = drawing.values.length;
      if (options.counts === "rootogram") {
        // bayesplot's hanging rootogram: on a square-root scale, each observed count hangs from the expected one, so misfit shows at 0.
        const expected = Float64Array.from(drawing.mean, Math.sqrt);
        return {
          x: { label: name, type: "linear" },
          y: { label: "√count", grid: true },
          marks: [
            Plot.rectY(
              { length: n },
              {
                x1: Array.from(drawing.values, (v) => v - 0.4),
                x2: Array.from(drawing.values, (v) => v + 0.4),
                y1: Array.from(expected, (e, i) => e - Math.sqrt(drawing.observed[i])),
                y2: expected,
                fill: "currentColor",
                fillOpacity: 0.25,
                ariaDescription: "observed counts, hanging",
              },
            ),
            Plot.line({ length: n }, { x: drawing.values, y: expected, stroke: PREDICTIVE_DARK, strokeWidth: 2, ariaDescription: "expected counts" }),
            Plot.dot({ length: n }, { x: drawing.values, y: expected, fill: PREDICTIVE_DARK, r: 3, ariaDescription: "expected count points" }),
            Plot.ruleY([0], { strokeOpacity: 0.6 }),
          ],
          words:
            `A hanging rootogram of the counts ${name} and ${observedName} take: on a square-root scale, each observed count (bar) hangs from the count the ` +
            `predictive draws expect (line, their mean over ${formatCount(data.draws, "draw")}); a bar ending above or below 0 is a value seen less or more often than predicted.`,
        };
      }
      return {
        x: { label: name, type: "linear" },
        y: { label: "count", grid: true },
        marks: [
          Plot.rectY(
            { length: n },
            {
              x1: Array.from(drawing.values, (v) => v - 0.4),
              x2: Array.from(drawing.values, (v) => v + 0.4),
              y1: 0,
              y2: drawing.observed,
              fill: "currentColor",
              fillOpacity: 0.25,
              ariaDescription: "observed counts",
            },
          ),
          Plot.ruleX({ length: n }, { x: drawing.values, y1: drawing.lower, y2: drawing.upper, stroke: PREDICTIVE_DARK, strokeWidth: 2, ariaDescription: "predictive 90% intervals" }),
          Plot.dot({ length: n }, { x: drawing.values, y: drawing.median, fill: PREDICTIVE_DARK, r: 3.5, ariaDescription: "predictive medians" }),
          Plot.ruleY([0], { strokeOpacity: 0.4 }),
        ],
        words:
          `${name} and ${observedName} are counts: per value, the observed count (bars) and the predictive draws' counts — their median (dot) and 90% interval ` +
          `(line) over ${formatCount(data.draws, "draw")}.`,
      };
    }
    case "ecdf": {
      const [wide, narrow] = drawing.bands;
      const n = drawing.observed.length;
      return {
        x: { label: name },
        y: { label: "ECDF", grid: true, domain: [0, 1] },
        marks: [
          Plot.areaY({ length: drawing.x.length }, { x: drawing.x, y1: wide.lower, y2: wide.upper, fill: PREDICTIVE, fillOpacity: 0.45, ariaDescription: "predictive 95% band" }),
          Plot.areaY({ length: drawing.x.length }, { x: drawing.x, y1: narrow.lower, y2: narrow.upper, fill: PREDICTIVE_DARK, fillOpacity: 0.45, ariaDescription: "predictive 50% band" }),
          Plot.line(
            { length: n },
            { x: drawing.observed, y: Array.from(drawing.observed, (_, i) => (i + 1) / n), curve: "step-after", stroke: OBSERVED, strokeWidth: 2, ariaDescription: "observed ECDF" },
          ),
        ],
        words: `The ECDF of the observed ${observedName} (line) within the pointwise 50% and 95% bands of the ECDFs of ${formatNumber(data.draws)} predictive draws of ${name}.`,
      };
    }
    case "pit": {
      const n = drawing.z.length;
      return {
        x: { label: "PIT (share of predictive draws at or below the observed value)", domain: [0, 1] },
        y: { label: "ECDF − uniform", grid: true },
        marks: [
          Plot.areaY({ length: n }, { x: drawing.z, y1: drawing.lower, y2: drawing.upper, curve: "step-after", fill: PREDICTIVE, fillOpacity: 0.45, ariaDescription: "simultaneous 95% band" }),
          Plot.ruleY([0], { strokeOpacity: 0.4 }),
          Plot.line({ length: n }, { x: drawing.z, y: drawing.difference, curve: "step-after", stroke: OBSERVED, strokeWidth: 2, ariaDescription: "PIT ECDF difference" }),
        ],
        words:
          `The ECDF of the ${formatCount(data.observations, "observation")}' ${drawing.logLikelihood ? "LOO-PIT" : "PIT"} values minus the uniform CDF` +
          `${drawing.logLikelihood ? ` (each draw weighed by its PSIS-LOO weight from ${drawing.logLikelihood}, so each observation is judged by a prediction made without it)` : ""}` +
          `, with the simultaneous 95% band a calibrated model ` +
          `stays within (Säilynoja et al. 2022): ${drawing.outside ? "it leaves the band, so the predictions are miscalibrated" : "it stays within the band"}.` +
          `${data.integer ? " For counts, a PIT counts half of the draws equal to the observed value." : ""}`,
      };
    }
    case "stat": {
      const statistic = STATISTIC_LABELS[drawing.statistic];
      const bins = drawing.counts.length;
      return {
        x: { label: `T = ${statistic} of ${name}` },
        y: { label: "draws", grid: true },
        marks: [
          Plot.rectY(
            { length: bins },
            {
              x1: drawing.edges.subarray(0, bins),
              x2: drawing.edges.subarray(1),
              y1: 0,
              y2: drawing.counts,
              fill: PREDICTIVE,
              insetLeft: 0.5,
              insetRight: 0.5,
              ariaDescription: "T of the predictive draws",
            },
          ),
          Plot.ruleX([drawing.observed], { stroke: OBSERVED, strokeWidth: 2.5, ariaDescription: "T of the observed" }),
          Plot.ruleY([0], { strokeOpacity: 0.4 }),
        ],
        words:
          `The ${statistic} of each of ${formatNumber(data.draws)} predictive draws of ${name} (bars) and of the observed ${observedName} (line, T(y) = ${formatNumber(drawing.observed)}); ` +
          `P(T(y_rep) ≥ T(y)) = ${drawing.p.toFixed(3)}.`,
      };
    }
    case "intervals": {
      const n = drawing.x.length;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => drawing.x[a] - drawing.x[b] || a - b);
      const at = (values: Float64Array) => Float64Array.from(order, (i) => values[i]);
      const xs = at(drawing.x);
      const title = (i: number) => `${drawing.labels[order[i]]}: observed ${formatNumber(drawing.observed[order[i]])}, median ${formatNumber(drawing.median[order[i]])}`;
      // Grouped: each observation's intervals and point in its group's colour.
      const group = drawing.groups && drawing.groupIndex ? Array.from(order, (i) => drawing.groups![drawing.groupIndex![i]]) : undefined;
      const marks: Plot.Markish[] =
        n <= MAX_RULES
          ? [
              Plot.ruleX(
                { length: n },
                {
                  x: xs,
                  y1: at(drawing.lower90),
                  y2: at(drawing.upper90),
                  stroke: group ?? PREDICTIVE,
                  strokeOpacity: group ? 0.45 : 1,
                  strokeWidth: 1.5,
                  ariaDescription: "predictive 90% intervals",
                },
              ),
              Plot.ruleX({ length: n }, { x: xs, y1: at(drawing.lower50), y2: at(drawing.upper50), stroke: group ?? PREDICTIVE_DARK, strokeWidth: 3, ariaDescription: "predictive 50% intervals" }),
              Plot.dot({ length: n }, { x: xs, y: at(drawing.observed), fill: OBSERVED, stroke: group ?? "none", r: 2.5, title, ariaDescription: "observed" }),
            ]
          : [
              Plot.areaY({ length: n }, { x: xs, y1: at(drawing.lower90), y2: at(drawing.upper90), fill: PREDICTIVE, fillOpacity: 0.5, ariaDescription: "predictive 90% intervals" }),
              Plot.areaY({ length: n }, { x: xs, y1: at(drawing.lower50), y2: at(drawing.upper50), fill: PREDICTIVE_DARK, fillOpacity: 0.5, ariaDescription: "predictive 50% intervals" }),
              Plot.line({ length: n }, { x: xs, y: at(drawing.observed), stroke: OBSERVED, strokeWidth: 1, ariaDescription: "observed" }),
            ];
      return {
        x: { label: drawing.xLabel },
        y: { label: name, grid: true },
        color: group ? { domain: drawing.groups, legend: true } : undefined,
        marks,
        words:
          `Per observation, the 50% (thick) and 90% (thin) intervals of ${formatNumber(data.draws)} predictive draws of ${name} and the observed ${observedName} ` +
          `(${n <= MAX_RULES ? "dots" : `a line: ${formatNumber(n)} observations are drawn as ribbons`}), against ${drawing.xLabel}.`,
      };
    }
  }
}

const VIEW_NAMES: Record<PpcDrawing["view"], string> = { density: "densities", bars: "counts", ecdf: "ECDF", pit: "PIT-ECDF", stat: "test statistic", intervals: "intervals" };

const viewName = (drawing: PpcDrawing) => (drawing.view === "pit" && drawing.logLikelihood ? "LOO-PIT" : VIEW_NAMES[drawing.view]);

/** The caption of a check per group: a test statistic's T(y) and p-value, or where a PIT-ECDF leaves its band, group by group. */
function facetWords(data: PpcData, firstWords: string): string {
  const facets = data.facets!;
  const first = facets[0].drawing;
  if (first.view === "stat") {
    const each = facets.map(({ label, drawing }) => {
      const d = drawing as Extract<PpcDrawing, { view: "stat" }>;
      return `${label}: T(y) = ${formatNumber(d.observed)}, P(T(y_rep) ≥ T(y)) = ${d.p.toFixed(3)}`;
    });
    return `The ${STATISTIC_LABELS[first.statistic]} of each of ${formatNumber(data.draws)} predictive draws of ${data.predictive} over the group's observations (bars) and of the observed ${data.observed} (line); by ${data.group}, ${each.join("; ")}.`;
  }
  if (first.view === "pit") {
    const outside = facets.filter(({ drawing }) => (drawing as Extract<PpcDrawing, { view: "pit" }>).outside).map((f) => f.label);
    return `The ECDF of each group's ${first.logLikelihood ? "LOO-PIT" : "PIT"} values minus the uniform CDF, with its simultaneous 95% band: ${outside.length ? `${data.group} ${outside.join(", ")} leave${outside.length === 1 ? "s" : ""} the band` : "every group stays within its band"}.`;
  }
  return firstWords.replace(/ of the [\d,]+ observations?\./, " of each group's observations.");
}

export const panel: PanelKind<PpcData> = {
  kind: "ppc",
  title: "Predictive check",
  order: 55,
  options: [
    { key: "draws", label: "Predictive", type: "value" },
    { key: "observed", label: "Observed", type: "column", none: "paired by name" },
    { key: "view", label: "Check", type: "choice", choices: VIEWS, default: "density" },
    { key: "stat", label: "Statistic", type: "choice", choices: STATISTICS.map((s) => ({ value: s, label: STATISTIC_LABELS[s] })), default: "mean" },
    { key: "ndraws", label: "Draws overlaid", type: "number", min: 1, max: 200, step: 1, default: 50 },
    { key: "x", label: "Intervals against", type: "column", none: "observation order" },
    { key: "group", label: "Group by", type: "column", none: "no groups" },
    {
      key: "counts",
      label: "Counts as",
      type: "choice",
      choices: [
        { value: "bars", label: "bars and intervals" },
        { value: "rootogram", label: "hanging rootogram" },
      ],
      default: "bars",
    },
  ],
  // Several models: a check per model.
  dimDefaults: ({ model }): Record<string, string> => (model ? { group: MODEL } : {}),
  // How counts are drawn changes the drawing only.
  drawOnly: ["counts"],
  render(data, options, { width }) {
    const by = data.group ? ` by ${data.group}` : "";
    const name = `Predictive check (${viewName(data.drawing)}) of ${data.predictive} against ${data.observed}${by}`;
    if (!data.facets) {
      const { marks, x, y, color, words } = marksOf(data.drawing, data, options);
      const node = Plot.plot({ ...plotStyle, width, height: Math.round(Math.max(240, Math.min(420, width * 0.45))), marginLeft: 56, marginBottom: 40, x, y, color, marks });
      const grouped = data.group ? ` Coloured by ${data.group}.` : "";
      return { name, caption: [words + grouped, ...data.notes].join(" "), node };
    }
    // One check per group, each a plot of its own under the group's name.
    const node = document.createElement("div");
    node.className = "ppc-facets";
    let words = "";
    for (const facet of data.facets) {
      const drawn = marksOf(facet.drawing, data, options);
      words ||= drawn.words;
      const plot = Plot.plot({
        ...plotStyle,
        width,
        height: 200,
        marginLeft: 56,
        marginBottom: 36,
        marginTop: 26,
        x: drawn.x,
        y: drawn.y,
        marks: [Plot.text([facet.label], { frameAnchor: "top-left", dy: -16, fontWeight: "bold", text: (d: string) => `${data.group} ${d}` }), ...drawn.marks],
      });
      plot.setAttribute("aria-label", `${data.group} ${facet.label}`);
      node.append(plot);
    }
    return { name, caption: [`One check per level of ${data.group} (${data.facets.length}).`, facetWords(data, words), ...data.notes].join(" "), node };
  },
};
