import * as Plot from "@observablehq/plot";
import { CHAINS_OPTION } from "../chain-draws.ts";
import { chainColours, chainLegend, divergentEntry } from "../chain-style.ts";
import { DIVERGENT_COLOUR, formatCount, formatNumber, plotStyle } from "../style.ts";
import { LINE_SPANS } from "../trace-thin.ts";
import type { PanelKind } from "../types.ts";
import type { TraceData, TraceFacet } from "./data.ts";

/** Facets share the x axis, drawn under the last one only (its margin holds the axis and its label). */
const MARGIN = { left: 56, right: 16, top: 22, bottom: 6, axis: 38 };
/** The rug's ticks, in pixels, at the bottom of each facet; lines keep above them. */
const RUG_HEIGHT = 8;

function facetPlot(facet: TraceFacet, rug: boolean, colours: Map<string, string>, domain: [number, number], width: number, frameHeight: number, last: boolean) {
  const marginBottom = last ? MARGIN.axis : MARGIN.bottom;
  return Plot.plot({
    ...plotStyle,
    width,
    height: MARGIN.top + frameHeight + marginBottom,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right,
    marginTop: MARGIN.top,
    marginBottom,
    x: last ? { domain, label: "draw", labelArrow: "none", grid: true } : { domain, axis: null, grid: true },
    y: { label: null, grid: true, nice: true, insetBottom: rug ? RUG_HEIGHT + 3 : 0, ticks: Math.max(2, Math.floor(frameHeight / 36)) },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      Plot.text([facet.label], { frameAnchor: "top-left", dy: -MARGIN.top + 6, dx: -MARGIN.left + 4, textAnchor: "start", fontWeight: "bold", ariaHidden: "true" }),
      ...facet.lines.map((line) =>
        Plot.lineY(
          { length: line.draws.length },
          {
            x: line.draws,
            y: line.values,
            stroke: colours.get(line.chain),
            strokeWidth: 0.8,
            strokeOpacity: 0.85,
            ariaDescription: "chain lines",
            ariaLabel: () => `${facet.label}, chain ${line.chain}`,
          },
        ),
      ),
      rug && facet.divergent.length
        ? Plot.ruleX(facet.divergent, {
            x: (d: number) => d,
            insetTop: frameHeight - RUG_HEIGHT,
            stroke: DIVERGENT_COLOUR,
            strokeWidth: 1.2,
            ariaDescription: "divergences",
            ariaLabel: (d: number) => `divergent draw ${d}`,
          })
        : null,
    ],
  });
}

/** Facets' frames get shorter as there are more of them, within readable bounds. */
function frameHeight(count: number): number {
  return count === 1 ? 190 : count <= 4 ? 100 : 76;
}

/** What the caption says about divergences. */
function divergenceText(rug: boolean, data: TraceData, stacked: boolean): string {
  if (!rug) return "";
  if (!data.flagged) return "Add sample_stats/diverging to the query to mark divergent draws.";
  const first = data.facets.find((f) => f.rug);
  if (!first) return stacked ? "Divergences come from the posterior's sampler: no posterior facet is shown." : "";
  const count = first.divergentCount;
  if (count === 0) return "No divergent draws.";
  const where = stacked ? " of the posterior facets" : " of each facet";
  const ticks = first.divergent.length < count ? ` (one tick for each of the ${formatNumber(LINE_SPANS)} equal spans of draws that holds any)` : "";
  return `${formatCount(count, "divergent draw")} (sample_stats/diverging), marked as magenta ticks at the bottom${where}${ticks}.`;
}

export const panel: PanelKind<TraceData> = {
  kind: "trace",
  title: "Trace",
  order: 60,
  options: [{ key: "value", label: "Value", type: "value" }, CHAINS_OPTION, { key: "divergences", label: "Divergences", type: "boolean", default: true }],
  // The rug is computed whenever the table flags divergences: the option only shows or hides it.
  drawOnly: ["divergences"],
  render(data, options, { width }) {
    const { value, facets, domain, points, by } = data;
    const rug = Boolean(options.divergences);
    const colours = chainColours(data.chains);

    const node = document.createElement("div");
    node.className = "trace-figure";
    const divergent = rug ? (facets.find((f) => f.rug)?.divergentCount ?? 0) : 0;
    node.append(chainLegend(data.chains, data.shown, divergent ? [divergentEntry(`divergent (${formatCount(divergent, "draw")})`)] : []));
    const frame = frameHeight(facets.length);
    facets.forEach((facet, k) => node.append(facetPlot(facet, rug && facet.rug, colours, domain, width, frame, k === facets.length - 1)));
    node.dataset.points = String(points.kept);

    const dims = by.length ? ` (${by.join(", ")})` : "";
    const notes = [
      `One line per chain against the draw index${facets.length > 1 ? `; one facet per element of ${value}${dims}` : ""}.`,
      data.total > facets.length ? `Showing the first ${formatNumber(facets.length)} of ${formatNumber(data.total)} elements of ${value}: narrow the query to see others.` : "",
      divergenceText(rug, data, by.includes("source")),
      points.kept < points.all
        ? `Lines thinned to each chain's smallest and largest draw in each of ${formatNumber(LINE_SPANS)} equal spans of draws: ${formatNumber(points.kept)} of ${formatNumber(points.all)} points drawn.`
        : "",
      data.selectionNote,
    ];
    return { name: data.name, caption: notes.filter((n) => n !== "").join(" "), node };
  },
};
