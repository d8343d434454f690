import type { Table } from "apache-arrow";
import { tableColumns } from "../../engine/columns.ts";
import { splitByLabels } from "../../engine/split.ts";
import { autoBounds, kde, type Density } from "../../engine/stats/kde.ts";
import { checkProbs, sortedDraws, numpyQuantile, summarizeSorted, summaryTable, type IntervalKind, type PointKind, type Summary } from "../../engine/stats/summary.ts";
import { intervalKind, pointKind, probsOf, rowColumns, rowLabel } from "../intervals.ts";
import { autoBoundsText, kdeDescription, MAX_FACETS } from "../style.ts";
import type { PanelData, PanelOptions } from "../types.ts";

const POINTS = 256;
/** Each facet's x axis spans this central probability of each source's draws (tails beyond are clipped). */
export const RANGE_PROB = 0.99;

/** The groups a stacked table's source column names: the posterior is the one to keep readable. */
const POSTERIOR = "posterior";

/** One source's draws in one facet: its density, summary, and the central RANGE_PROB of its draws. */
export interface PriorPart {
  source: string;
  density: Density;
  summary: Summary;
  range: [number, number];
}

/**
 * What a prior-vs-posterior panel draws: per facet shown (at most MAX_FACETS), each source's
 * 256-point density, interval summary and central range. How tall the curves are and which
 * sources the x axis spans are the page's choice.
 */
export interface PriorData {
  value: string;
  facetDims: string[];
  /** The source column's name ("" when groups are not stacked), its levels, and the one the x range can follow. */
  source: string;
  sources: string[];
  focus: string;
  point: PointKind;
  interval: IntervalKind;
  probs: number[];
  facets: { label: string; parts: PriorPart[] }[];
  /** Facets in all, shown or not. */
  facetCount: number;
  /** How the curves were estimated, for the caption. */
  estimation: string;
}

/** The table split into facets (by the facet dims) and, within each, sources: each part's sorted draws and summary. */
function facetsOf(table: Table, options: PanelOptions) {
  const value = String(options.value);
  const summary = { point: pointKind(options.point), interval: intervalKind(options.interval), probs: probsOf(options.inner, options.outer) };
  checkProbs(summary.probs);
  const source = tableColumns(table).find((c) => c.role === "source")?.name ?? "";
  const facetDims = rowColumns(table, value, String(options.facet), false).filter((d) => d !== source);
  const by = source ? [...facetDims, source] : facetDims;
  const { groups, labels } = splitByLabels(table, value, by);
  const sources = source ? labels[by.length - 1].map(String) : [""];
  const facets: { label: string; keys: (string | number)[]; parts: { source: string; sorted: Float64Array; summary: Summary }[] }[] = [];
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
    facets[at].parts.push({ source: source ? String(g.keys[by.length - 1]) : "", sorted, summary: summarizeSorted(sorted, summary) });
  }
  return { value, summary, source, facetDims, by, sources, facets };
}

export const panel: PanelData<PriorData> = {
  data(table, options) {
    const { value, summary, source, facetDims, sources, facets } = facetsOf(table, options);
    const adjust = Number(options.adjust);
    // The density panel's automatic bounds, over both sources: a positive parameter (sigma, tau)
    // has no prior or posterior mass below 0 (NaN draws, left out of the sorted ones, never count).
    const auto = autoBounds(
      facets.flatMap((f) => f.parts.map((p) => p.sorted)),
      value,
    );
    const tail = (1 - RANGE_PROB) / 2;
    const estimated = facets.map((f) => ({
      label: f.label,
      parts: f.parts.map(
        (p): PriorPart => ({
          source: p.source,
          density: kde(p.sorted, { points: POINTS, adjust, ...auto.bounds }),
          summary: p.summary,
          range: [numpyQuantile(p.sorted, tail), numpyQuantile(p.sorted, 1 - tail)],
        }),
      ),
    }));
    return {
      value,
      facetDims,
      source,
      sources,
      focus: sources.includes(POSTERIOR) ? POSTERIOR : sources[0],
      ...summary,
      facets: estimated.slice(0, MAX_FACETS),
      facetCount: facets.length,
      estimation: kdeDescription(
        estimated.flatMap((f) => f.parts.map((p) => p.density.bandwidth)),
        adjust,
        autoBoundsText(auto),
      ),
    };
  },
  derived(table, options) {
    const { value, summary, source, by, facets } = facetsOf(table, options);
    const rows = facets.flatMap((f) => f.parts.map((p) => ({ keys: source ? [...f.keys, p.source] : f.keys, summary: p.summary })));
    return summaryTable({ value, by, options: summary, rows });
  },
};
