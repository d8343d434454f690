import { chainDraws, chainSelection, drawsPhrase, elementColumns, elementLabel, type ElementDraws } from "../chain-draws.ts";
import { formatCount } from "../style.ts";
import { drawExtent, LINE_SPANS, linesToDraw, type ChainLine } from "../trace-thin.ts";
import type { PanelData } from "../types.ts";

/** More facets than this are a wall of lines: the first ones are shown and the caption says how many. */
export const MAX_TRACE_FACETS = 12;
/** Beyond this many divergent draws in a facet, the rug keeps one tick per span of draws (LINE_SPANS of them) that holds any. */
export const RUG_LIMIT = 2 * LINE_SPANS;

/** What one facet draws: its lines (thinned or not) and its divergent draws. */
export interface TraceFacet {
  label: string;
  lines: ChainLine[];
  /** True when the facet may show a rug: the table flags divergences and the facet's source is the posterior. */
  rug: boolean;
  /** Draws of the facet's chains flagged divergent, chain after chain (one per span of draws when more than RUG_LIMIT). */
  divergent: Float64Array;
  /** How many draws are flagged divergent, however many ticks the rug keeps. */
  divergentCount: number;
}

/** What a trace panel draws: its facets on one draw axis, and the words for its name and caption. */
export interface TraceData {
  value: string;
  facets: TraceFacet[];
  /** The first and last draw over all lines: the shared x domain. */
  domain: [number, number];
  /** Every chain label of the table (colours are assigned over these), and the chains the lines show. */
  chains: string[];
  shown: string[];
  /** Elements of the value with draws, including those beyond MAX_TRACE_FACETS. */
  total: number;
  /** True when the table has a divergence flag. */
  flagged: boolean;
  /** The split's columns (the value's dims, and the source when groups are stacked). */
  by: string[];
  /** Points of all lines, and how many the thinned lines keep. */
  points: { all: number; kept: number };
  /** The figure's accessible name: "Trace of theta: 4 chains × 500 draws in 8 facets". */
  name: string;
  /** What the Chains option could not honour ("" when all is well). */
  selectionNote: string;
}

/** Whether an element's facet gets the divergence rug: sample_stats describes the posterior's draws. */
function rugOn(element: ElementDraws, by: readonly string[]): boolean {
  const at = by.indexOf("source");
  return at < 0 || element.keys[at] === "posterior";
}

/** Draws of an element's chains flagged divergent, chain after chain; past RUG_LIMIT, the first of each span of draws holding any. */
function divergentDraws(element: ElementDraws, domain: [number, number]): { divergent: Float64Array; divergentCount: number } {
  const out: number[] = [];
  for (const s of element.series) {
    if (!s.divergent) continue;
    for (let i = 0; i < s.divergent.length; i++) if (s.divergent[i]) out.push(s.draws[i]);
  }
  if (out.length <= RUG_LIMIT) return { divergent: Float64Array.from(out), divergentCount: out.length };
  const [x0, x1] = domain;
  const perDraw = x1 > x0 ? LINE_SPANS / (x1 - x0) : 0;
  const first = new Map<number, number>();
  for (const d of out) {
    const span = Math.min(LINE_SPANS - 1, Math.floor((d - x0) * perDraw));
    if (!first.has(span)) first.set(span, d);
  }
  return { divergent: Float64Array.from(first.values()), divergentCount: out.length };
}

export const panel: PanelData<TraceData> = {
  data(table, options) {
    const value = String(options.value);
    const by = elementColumns(table, value);
    const selection = chainSelection(options.chains, table);
    const data = chainDraws(table, value, by, { limit: MAX_TRACE_FACETS, chains: selection.chains });
    const series = data.elements.flatMap((e) => e.series);
    const all = series.reduce((a, s) => a + s.draws.length, 0);
    const domain = drawExtent(series);
    let kept = 0;
    const facets = data.elements.map((element): TraceFacet => {
      const lines = linesToDraw(element.series, domain, all);
      kept += lines.reduce((a, l) => a + l.draws.length, 0);
      const rug = data.flagged && rugOn(element, by);
      return { label: elementLabel(value, element.keys, by), lines, rug, ...(rug ? divergentDraws(element, domain) : { divergent: new Float64Array(0), divergentCount: 0 }) };
    });
    const first = data.elements[0]?.series ?? [];
    return {
      value,
      facets,
      domain,
      chains: data.chains,
      shown: first.map((s) => s.chain),
      total: data.total,
      flagged: data.flagged,
      by,
      points: { all, kept },
      name: `Trace of ${value}: ${first.length ? drawsPhrase(first) : "no draws"}${facets.length > 1 ? ` in ${formatCount(facets.length, "facet")}` : ""}`,
      selectionNote: selection.note,
    };
  },
};
