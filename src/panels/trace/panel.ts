import * as Plot from "@observablehq/plot";
import {
  CHAINS_OPTION,
  chainDraws,
  chainSelection,
  drawsPhrase,
  elementColumns,
  elementLabel,
  type ChainDraws,
  type ElementDraws,
} from "./chain-draws.ts";
import { chainColours, chainLegend, divergentEntry } from "./chain-style.ts";
import { DIVERGENT_COLOUR } from "./pairs-layers.ts";
import { formatCount, formatNumber, plotStyle } from "./style.ts";
import { drawExtent, linesToDraw, type ChainLine } from "./trace-thin.ts";
import type { PanelKind } from "./types.ts";

/** More facets than this are a wall of lines: the first ones are shown and the caption says how many. */
export const MAX_TRACE_FACETS = 12;
/** Facets share the x axis, drawn under the last one only (its margin holds the axis and its label). */
const MARGIN = { left: 56, right: 16, top: 22, bottom: 6, axis: 38 };
/** The rug's ticks, in pixels, at the bottom of each facet; lines keep above them. */
const RUG_HEIGHT = 8;

/** Whether an element's facet gets the divergence rug: sample_stats describes the posterior's draws. */
function rugOn(element: ElementDraws, by: readonly string[]): boolean {
  const at = by.indexOf("source");
  return at < 0 || element.keys[at] === "posterior";
}

/** What one facet draws: its lines (thinned or not) and its divergent draws. */
interface Facet {
  label: string;
  lines: ChainLine[];
  divergent: Float64Array;
  /** True when the facet may show a rug (the rug option on, and its source the posterior). */
  rug: boolean;
}

/** Draws of a facet's chains flagged divergent, chain after chain. */
function divergentDraws(element: ElementDraws): Float64Array {
  const out: number[] = [];
  for (const s of element.series) {
    if (!s.divergent) continue;
    for (let i = 0; i < s.divergent.length; i++) if (s.divergent[i]) out.push(s.draws[i]);
  }
  return Float64Array.from(out);
}

/** The facets of a trace figure, and how many points their lines keep of how many. */
export function traceFacets(data: ChainDraws, value: string, by: readonly string[], rug: boolean, frameWidth: number) {
  const series = data.elements.flatMap((e) => e.series);
  const all = series.reduce((a, s) => a + s.draws.length, 0);
  const domain = drawExtent(series);
  let kept = 0;
  const facets: Facet[] = data.elements.map((element) => {
    const lines = linesToDraw(element.series, domain, frameWidth, all);
    kept += lines.reduce((a, l) => a + l.draws.length, 0);
    const on = rug && data.flagged && rugOn(element, by);
    return { label: elementLabel(value, element.keys, by), lines, divergent: on ? divergentDraws(element) : new Float64Array(0), rug: on };
  });
  // Lines with fewer draws than pixel columns lose nothing to thinning.
  return { facets, domain, thinned: kept < all, points: { all, kept } };
}

function facetPlot(facet: Facet, colours: Map<string, string>, domain: [number, number], width: number, frameHeight: number, last: boolean) {
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
    y: { label: null, grid: true, nice: true, insetBottom: facet.rug ? RUG_HEIGHT + 3 : 0, ticks: Math.max(2, Math.floor(frameHeight / 36)) },
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
      facet.divergent.length
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
function divergenceText(rug: boolean, data: ChainDraws, facets: readonly Facet[], stacked: boolean): string {
  if (!rug) return "";
  if (!data.flagged) return "Add sample_stats/diverging to the query to mark divergent draws.";
  const first = facets.find((f) => f.rug);
  if (!first) return stacked ? "Divergences come from the posterior's sampler: no posterior facet is shown." : "";
  const count = first.divergent.length;
  if (count === 0) return "No divergent draws.";
  const where = stacked ? " of the posterior facets" : " of each facet";
  return `${formatCount(count, "divergent draw")} (sample_stats/diverging), marked as magenta ticks at the bottom${where}.`;
}

export const panel: PanelKind = {
  kind: "trace",
  title: "Trace",
  order: 60,
  options: [
    { key: "value", label: "Value", type: "value" },
    CHAINS_OPTION,
    { key: "divergences", label: "Divergences", type: "boolean", default: true },
  ],
  render(table, options, { width }) {
    const value = String(options.value);
    const rug = Boolean(options.divergences);
    const by = elementColumns(table, value);
    const selection = chainSelection(options.chains, table);
    const data = chainDraws(table, value, by, { limit: MAX_TRACE_FACETS, chains: selection.chains });
    const frameWidth = width - MARGIN.left - MARGIN.right;
    const { facets, domain, thinned, points } = traceFacets(data, value, by, rug, frameWidth);
    const colours = chainColours(data.chains);
    const shown = data.elements[0]?.series.map((s) => s.chain) ?? [];

    const node = document.createElement("div");
    node.className = "trace-figure";
    const divergent = facets.find((f) => f.rug)?.divergent.length ?? 0;
    node.append(chainLegend(data.chains, shown, divergent ? [divergentEntry(`divergent (${formatCount(divergent, "draw")})`)] : []));
    const frame = frameHeight(facets.length);
    facets.forEach((facet, k) => node.append(facetPlot(facet, colours, domain, width, frame, k === facets.length - 1)));
    node.dataset.points = String(points.kept);

    const dims = by.length ? ` (${by.join(", ")})` : "";
    const stacked = by.includes("source");
    const notes = [
      `One line per chain against the draw index${facets.length > 1 ? `; one facet per element of ${value}${dims}` : ""}.`,
      data.total > facets.length ? `Showing the first ${formatNumber(facets.length)} of ${formatNumber(data.total)} elements of ${value}: narrow the query to see others.` : "",
      divergenceText(rug, data, facets, stacked),
      thinned ? `Lines thinned to each chain's smallest and largest draw per pixel column: ${formatNumber(points.kept)} of ${formatNumber(points.all)} points drawn.` : "",
      selection.note,
    ];
    const series = data.elements[0]?.series ?? [];
    return {
      name: `Trace of ${value}: ${series.length ? drawsPhrase(series) : "no draws"}${facets.length > 1 ? ` in ${formatCount(facets.length, "facet")}` : ""}`,
      caption: notes.filter((n) => n !== "").join(" "),
      node,
    };
  },
};
