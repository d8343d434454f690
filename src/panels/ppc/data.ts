import type { Table } from "apache-arrow";
import { numberBatches } from "../../engine/columns.ts";
import { RowKeys } from "../../engine/split.ts";
import { kde } from "../../engine/stats/kde.ts";
import { meanOf, varianceOf } from "../../engine/stats/moments.ts";
import { numpyQuantile } from "../../engine/stats/summary.ts";
import { ecdfCounts, uniformEcdfBand, type EcdfBand } from "../rank/ranks.ts";
import type { PanelData, PanelOptions } from "../types.ts";
import { looWeights } from "../../engine/stats/loo.ts";
import { matrixOf, observationGroups, PpcError, predictiveMatrix, subsetMatrix, type PredictiveMatrix } from "./matrix.ts";

export type PpcView = "density" | "ecdf" | "pit" | "loo-pit" | "stat" | "intervals";
export type TestStatistic = "mean" | "sd" | "median" | "min" | "max" | "q10" | "q90";

/** Grid points of each density curve and of the ECDF bands. */
const POINTS = 200;
/** More distinct integer values than this are drawn as densities, not bars. */
const MAX_BARS = 60;
const HISTOGRAM_BINS = 30;
/** PIT values' ECDF grid: as many points as observations, up to this many. */
const PIT_POINTS = 100;

export interface Curve {
  x: Float64Array;
  y: Float64Array;
}

export type PpcDrawing =
  /** K predictive draws' densities, the density of all predictive draws together, and the observed density. */
  | { view: "density"; draws: Curve[]; pooled: Curve; observed: Curve }
  /** Integer data: per value, the observed count and the predictive counts' mean, median and 90% interval. */
  | { view: "bars"; values: Float64Array; observed: Float64Array; mean: Float64Array; median: Float64Array; lower: Float64Array; upper: Float64Array }
  /** The observed ECDF (its sorted values) within the predictive ECDFs' pointwise 50% and 95% bands on a grid. */
  | { view: "ecdf"; observed: Float64Array; x: Float64Array; bands: { level: number; lower: Float64Array; upper: Float64Array }[] }
  /**
   * The ECDF of the observations' PIT values minus uniform, with its simultaneous 95% band; LOO-PIT
   * weighs each draw by its PSIS-LOO weight (from `logLikelihood`), so each observation is judged
   * by a prediction made without it.
   */
  | { view: "pit"; z: Float64Array; difference: Float64Array; lower: Float64Array; upper: Float64Array; outside: boolean; logLikelihood?: string }
  /** A test statistic of every predictive draw as a histogram, T(y) and P(T(y_rep) ≥ T(y)). */
  | { view: "stat"; statistic: TestStatistic; edges: Float64Array; counts: Int32Array; observed: number; p: number }
  /** Per observation, the predictive median, 50% and 90% intervals and the observed value; and its group's index in `groups` when grouped. */
  | {
      view: "intervals";
      x: Float64Array;
      xLabel: string;
      median: Float64Array;
      lower50: Float64Array;
      upper50: Float64Array;
      lower90: Float64Array;
      upper90: Float64Array;
      observed: Float64Array;
      labels: string[];
      groups?: string[];
      groupIndex?: Int32Array;
    };

export interface PpcData {
  /** The check of all observations, or of the first group's when `facets` holds one per group. */
  drawing: PpcDrawing;
  /** The column observations are grouped by ("" for none), and per group its check (intervals colour by group instead). */
  group: string;
  facets?: { label: string; drawing: PpcDrawing }[];
  /** The predictive column and the observed column paired with it. */
  predictive: string;
  observed: string;
  dims: string[];
  draws: number;
  observations: number;
  integer: boolean;
  notes: string[];
}

/** The draws a density overlay shows: `count` of them, evenly spread over all (the same for every query of the trace). */
export function pickedDraws(total: number, count: number): number[] {
  const k = Math.min(total, Math.max(0, Math.floor(count)));
  return Array.from({ length: k }, (_, p) => Math.floor(((p + 0.5) * total) / k));
}

/** Finite values of a row of the matrix (or all of it), as a dense array. */
function finite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[n++] = values[i];
  return out.subarray(0, n);
}

const row = (m: PredictiveMatrix, s: number) => m.values.subarray(s * m.observations, (s + 1) * m.observations);

function curveOf(values: ArrayLike<number>): Curve {
  const estimate = kde(finite(values), { points: POINTS });
  return { x: estimate.x, y: estimate.density };
}

function densityView(m: PredictiveMatrix, ndraws: number): PpcDrawing {
  return {
    view: "density",
    draws: pickedDraws(m.draws, ndraws).map((s) => curveOf(row(m, s))),
    pooled: curveOf(m.values),
    observed: curveOf(m.observedValues),
  };
}

/** Counts per integer value, observed and per draw (median and 90% interval over draws); undefined when there are too many values to bar. */
function barsView(m: PredictiveMatrix): PpcDrawing | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m.observedValues) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (const v of m.values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const width = hi - lo + 1;
  if (!(width <= MAX_BARS)) return undefined;
  const values = Float64Array.from({ length: width }, (_, i) => lo + i);
  const observed = new Float64Array(width);
  for (const v of m.observedValues) if (Number.isFinite(v)) observed[v - lo]++;
  const perDraw = new Float64Array(width * m.draws);
  for (let s = 0; s < m.draws; s++) for (const v of row(m, s)) if (Number.isFinite(v)) perDraw[(v - lo) * m.draws + s]++;
  const quantile = (i: number, q: number) => numpyQuantile(perDraw.subarray(i * m.draws, (i + 1) * m.draws), q);
  for (let i = 0; i < width; i++) perDraw.subarray(i * m.draws, (i + 1) * m.draws).sort();
  const mean = new Float64Array(width);
  for (let i = 0; i < width; i++) {
    let sum = 0;
    for (let s = 0; s < m.draws; s++) sum += perDraw[i * m.draws + s];
    mean[i] = sum / m.draws;
  }
  return {
    view: "bars",
    values,
    observed,
    mean,
    median: Float64Array.from(values, (_, i) => quantile(i, 0.5)),
    lower: Float64Array.from(values, (_, i) => quantile(i, 0.05)),
    upper: Float64Array.from(values, (_, i) => quantile(i, 0.95)),
  };
}

function ecdfView(m: PredictiveMatrix): PpcDrawing {
  const observed = finite(m.observedValues).sort();
  const all = finite(m.values).sort();
  const lo = Math.min(observed[0] ?? Infinity, numpyQuantile(all, 0.001));
  const hi = Math.max(observed[observed.length - 1] ?? -Infinity, numpyQuantile(all, 0.999));
  const x = Float64Array.from({ length: POINTS }, (_, k) => lo + ((hi - lo) * k) / (POINTS - 1));
  // Per draw, its ECDF at every grid point (a merge of its sorted values with the grid); then per grid point the spread over draws.
  const atGrid = new Float64Array(POINTS * m.draws);
  for (let s = 0; s < m.draws; s++) {
    const sorted = finite(row(m, s)).sort();
    let i = 0;
    for (let k = 0; k < POINTS; k++) {
      while (i < sorted.length && sorted[i] <= x[k]) i++;
      atGrid[k * m.draws + s] = sorted.length ? i / sorted.length : NaN;
    }
  }
  for (let k = 0; k < POINTS; k++) atGrid.subarray(k * m.draws, (k + 1) * m.draws).sort();
  const at = (k: number, q: number) => numpyQuantile(atGrid.subarray(k * m.draws, (k + 1) * m.draws), q);
  const bands = [0.95, 0.5].map((level) => ({
    level,
    lower: Float64Array.from(x, (_, k) => at(k, (1 - level) / 2)),
    upper: Float64Array.from(x, (_, k) => at(k, (1 + level) / 2)),
  }));
  return { view: "ecdf", observed, x, bands };
}

/**
 * Each observation's PIT: the weighted share of its predictive draws at or below the observed
 * value (integers: below, plus half of those equal); every draw weighs the same unless `weights`
 * (draws × observations, each observation's summing to 1) are given.
 */
export function pitValues(m: PredictiveMatrix, weights?: Float64Array): Float64Array {
  const below = new Float64Array(m.observations);
  const equal = new Float64Array(m.observations);
  const counted = new Float64Array(m.observations);
  for (let s = 0; s < m.draws; s++) {
    const r = row(m, s);
    for (let i = 0; i < m.observations; i++) {
      const v = r[i];
      if (v !== v) continue;
      const w = weights ? weights[s * m.observations + i] : 1;
      counted[i] += w;
      if (v < m.observedValues[i]) below[i] += w;
      else if (v === m.observedValues[i]) equal[i] += w;
    }
  }
  const u = new Float64Array(m.observations);
  for (let i = 0; i < m.observations; i++) u[i] = (below[i] + (m.integer ? equal[i] / 2 : equal[i])) / counted[i];
  return finite(u);
}

/**
 * PSIS-LOO weights of every draw for every observation (draws × observations, normalized per
 * observation) from the log-likelihood, as trace.loo smooths them (r_eff by relative_eff over the
 * chains); undefined when a log-likelihood draw is not finite.
 */
export function looWeightsOf(m: PredictiveMatrix, logLik: Float64Array): Float64Array | undefined {
  const weights = new Float64Array(m.draws * m.observations);
  const ll = new Float64Array(m.draws);
  for (let i = 0; i < m.observations; i++) {
    for (let s = 0; s < m.draws; s++) ll[s] = logLik[s * m.observations + i];
    const smoothed = looWeights(ll, m.chains, "relative");
    if (!smoothed) return undefined;
    for (let s = 0; s < m.draws; s++) weights[s * m.observations + i] = smoothed.weights[s];
  }
  return weights;
}

const pitBands = new Map<string, EcdfBand>();

function pitView(m: PredictiveMatrix, weights?: Float64Array, logLikelihood?: string): PpcDrawing {
  const u = pitValues(m, weights);
  const points = Math.max(1, Math.min(u.length, PIT_POINTS));
  const key = `${u.length}:${points}`;
  let band = pitBands.get(key);
  if (!band) pitBands.set(key, (band = uniformEcdfBand(u.length, points)));
  const counts = ecdfCounts(u, 1, points, new Int32Array(points + 1));
  const difference = Float64Array.from(counts, (c, k) => c / u.length - k / points);
  const outside = Array.from(counts).some((c, k) => c < band.lowerCount[k] || c > band.upperCount[k]);
  return { view: "pit", z: band.z, difference, lower: band.lower, upper: band.upper, outside, logLikelihood };
}

/** A test statistic of the finite values (NaN when there are none). */
export function testStatistic(values: Float64Array, statistic: TestStatistic): number {
  const v = finite(values);
  if (v.length === 0) return NaN;
  if (statistic === "mean") return meanOf(v);
  if (statistic === "sd") return Math.sqrt(varianceOf(v));
  v.sort();
  if (statistic === "min") return v[0];
  if (statistic === "max") return v[v.length - 1];
  return numpyQuantile(v, statistic === "median" ? 0.5 : statistic === "q10" ? 0.1 : 0.9);
}

function statView(m: PredictiveMatrix, statistic: TestStatistic): PpcDrawing {
  const t = Float64Array.from({ length: m.draws }, (_, s) => testStatistic(row(m, s), statistic));
  const observed = testStatistic(m.observedValues, statistic);
  let lo = observed;
  let hi = observed;
  let above = 0;
  for (const v of t) {
    [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    if (v >= observed) above++;
  }
  const span = hi - lo || 1;
  const edges = Float64Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => lo + (span * b) / HISTOGRAM_BINS);
  const counts = new Int32Array(HISTOGRAM_BINS);
  for (const v of t) if (Number.isFinite(v)) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - lo) / span) * HISTOGRAM_BINS))]++;
  return { view: "stat", statistic, edges, counts, observed, p: above / t.length };
}

/** Per observation, the x column's value (its first row's), or its position when no column is chosen. */
function observationX(table: Table, m: PredictiveMatrix, x: string): { xs: Float64Array; label: string } {
  if (x === "") return { xs: Float64Array.from({ length: m.observations }, (_, i) => i), label: `observation (${m.dims.join(", ")})` };
  const keys = new RowKeys(table, m.dims);
  const xs = new Float64Array(m.observations).fill(NaN);
  let batches: ReturnType<typeof numberBatches>;
  try {
    batches = numberBatches(table, x);
  } catch {
    throw new PpcError(`x must be a number column, and '${x}' is not one`);
  }
  batches.forEach((values, b) => {
    const k = keys.batch(b);
    for (let i = 0; i < values.length; i++) if (xs[k[i]] !== xs[k[i]]) xs[k[i]] = values[i];
  });
  return { xs, label: x };
}

function intervalsView(table: Table, m: PredictiveMatrix, x: string): PpcDrawing {
  const column = new Float64Array(m.draws);
  const q = [0.05, 0.25, 0.5, 0.75, 0.95].map(() => new Float64Array(m.observations));
  for (let i = 0; i < m.observations; i++) {
    for (let s = 0; s < m.draws; s++) column[s] = m.values[s * m.observations + i];
    const sorted = finite(column).sort();
    [0.05, 0.25, 0.5, 0.75, 0.95].forEach((p, j) => (q[j][i] = numpyQuantile(sorted, p)));
  }
  const { xs, label } = observationX(table, m, x);
  return { view: "intervals", x: xs, xLabel: label, lower90: q[0], lower50: q[1], median: q[2], upper50: q[3], upper90: q[4], observed: m.observedValues, labels: m.labels };
}

export const STATISTICS: readonly TestStatistic[] = ["mean", "sd", "median", "min", "max", "q10", "q90"];

/** Some observations' weights (see looWeights), in the order given. */
function subsetWeights(weights: Float64Array, m: PredictiveMatrix, observations: readonly number[]): Float64Array {
  const out = new Float64Array(m.draws * observations.length);
  for (let s = 0; s < m.draws; s++) observations.forEach((i, j) => (out[s * observations.length + j] = weights[s * m.observations + i]));
  return out;
}

/** LOO-PIT's weights for the whole table's observations (before any grouping). */
function looPitWeights(table: Table, m: PredictiveMatrix): { weights: Float64Array; name: string } {
  const name = `log_likelihood/${m.predictive.slice(m.predictive.lastIndexOf("/") + 1)}`;
  const logLik = matrixOf(table, m, name);
  if (!logLik) throw new PpcError(`LOO-PIT weighs the draws by the log-likelihood: add ${name}[${m.dims.join(", ")}] to the query`);
  const weights = looWeightsOf(m, logLik);
  if (!weights) throw new PpcError(`${name} has a draw that is not a finite number: PSIS-LOO needs finite log-likelihoods`);
  return { weights, name };
}

export const panel: PanelData<PpcData> = {
  data(table, options: PanelOptions) {
    const m = predictiveMatrix(table, String(options.draws), String(options.observed ?? ""));
    const view = String(options.view) as PpcView;
    const notes: string[] = [];
    if (options.observed === "" || options.observed === undefined) notes.push(`Observed: ${m.observed}, paired with ${m.predictive} by name; choose another in Observed.`);
    const loo = view === "loo-pit" ? looPitWeights(table, m) : undefined;
    const statistic = (STATISTICS.includes(options.stat as TestStatistic) ? options.stat : "mean") as TestStatistic;
    const check = (sub: PredictiveMatrix, observations?: readonly number[]): PpcDrawing => {
      if (view === "density") {
        const bars = sub.integer ? barsView(sub) : undefined;
        if (sub.integer && !bars && !notes.some((n) => n.startsWith("The values are integers"))) notes.push(`The values are integers, but more than ${MAX_BARS} distinct ones: drawn as densities.`);
        return bars ?? densityView(sub, Number(options.ndraws));
      }
      if (view === "ecdf") return ecdfView(sub);
      if (view === "pit") return pitView(sub);
      if (view === "loo-pit") return pitView(sub, observations ? subsetWeights(loo!.weights, m, observations) : loo!.weights, loo!.name);
      if (view === "stat") return statView(sub, statistic);
      return intervalsView(table, sub, String(options.x ?? ""));
    };
    const asked = String(options.group ?? "");
    const grouping = asked === "" ? undefined : observationGroups(table, m, asked);
    if (grouping && "problem" in grouping) notes.push(`Not grouped: ${grouping.problem}.`);
    const groups = grouping && !("problem" in grouping) ? grouping : undefined;
    const base = { predictive: m.predictive, observed: m.observed, dims: m.dims, draws: m.draws, observations: m.observations, integer: m.integer, notes };
    if (!groups) return { ...base, drawing: check(m), group: "" };
    if (view === "intervals") {
      const drawing = check(m) as Extract<PpcDrawing, { view: "intervals" }>;
      return { ...base, drawing: { ...drawing, groups: groups.labels, groupIndex: groups.codes }, group: asked };
    }
    const facets = groups.labels.flatMap((label, g) => {
      const members = Array.from(groups.codes.keys()).filter((i) => groups.codes[i] === g);
      return members.length ? [{ label, drawing: check(subsetMatrix(m, members), members) }] : [];
    });
    return { ...base, drawing: facets[0].drawing, group: asked, facets };
  },
};
