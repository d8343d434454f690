import type { PanelData, PanelOptions } from "../types.ts";
import { fitBands, fitTable, type FitBands, type FitRequest } from "./bands.ts";

/** Beyond this many observed points SVG dots get slow: they are not drawn, so their labels are not sent. */
export const MAX_POINTS = 10_000;

/**
 * What a fit panel draws, one entry per observation in drawing order (by source, group, then x),
 * as columns: its size grows with the observations (the per-element summary), never with the draws.
 */
export interface FitData {
  draws: string;
  x: string;
  /** The observed column drawn as points ("" for none). */
  observed: string;
  /** The column observations are grouped by ("" for none). */
  group: string;
  probs: number[];
  count: number;
  xs: Float64Array;
  observedValues: Float64Array;
  median: Float64Array;
  /** Per probability (in `probs` order), each observation's interval bounds. */
  lower: Float64Array[];
  upper: Float64Array[];
  /** Per observation, its index in `groups` (or -1) and in `sources` (or -1). */
  groupIndex: Int32Array;
  groups: (string | number)[];
  sourceIndex: Int32Array;
  sources: string[];
  /** Each observation's labels ("3", "posterior · 3"), for its point's name; empty beyond MAX_POINTS. */
  labels: string[];
  /** Non-NaN draws per observation, when every observation has the same number. */
  drawCount?: number;
  spaghetti: { label: string; values: Float64Array }[];
  notes: string[];
}

function request(options: PanelOptions): FitRequest {
  return {
    draws: String(options.draws),
    x: String(options.x),
    observed: String(options.observed),
    group: String(options.group),
    probs: String(options.bands).split(",").map(Number),
    spaghetti: Number(options.spaghetti),
  };
}

/** The bands as columns for the page. */
function columnsOf(bands: FitBands, draws: string): FitData {
  const { observations, groups, sources } = bands;
  const count = observations.length;
  const drawCount = observations.every((o) => o.n === observations[0].n) ? observations[0]?.n : undefined;
  return {
    draws,
    x: bands.x,
    observed: bands.observed,
    group: bands.group,
    probs: bands.probs,
    count,
    xs: Float64Array.from(observations, (o) => o.x),
    observedValues: Float64Array.from(observations, (o) => o.observed),
    median: Float64Array.from(observations, (o) => o.median),
    lower: bands.probs.map((_, j) => Float64Array.from(observations, (o) => o.intervals[j].lower)),
    upper: bands.probs.map((_, j) => Float64Array.from(observations, (o) => o.intervals[j].upper)),
    groupIndex: Int32Array.from(observations, (o) => (o.group === undefined ? -1 : groups.indexOf(o.group))),
    groups,
    sourceIndex: Int32Array.from(observations, (o) => (o.source === undefined ? -1 : sources.indexOf(o.source))),
    sources,
    labels: count <= MAX_POINTS ? observations.map((o) => o.keys.join(" · ")) : [],
    drawCount,
    spaghetti: bands.spaghetti,
    notes: bands.notes,
  };
}

export const panel: PanelData<FitData> = {
  data(table, options) {
    const asked = request(options);
    return columnsOf(fitBands(table, asked), asked.draws);
  },
  derived(table, options) {
    const asked = request(options);
    return fitTable(fitBands(table, { ...asked, spaghetti: 0 }), asked.draws);
  },
};
