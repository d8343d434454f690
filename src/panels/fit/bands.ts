import type { Table } from "apache-arrow";
import { LabelCoder, numberBatches, tableColumns, type TableColumn } from "../../engine/columns.ts";
import { DrawscopeError } from "../../engine/errors.ts";
import { RowKeys, splitByLabels } from "../../engine/split.ts";
import { buildTable, float64Data, labelData, type BuiltColumn } from "../../engine/table-build.ts";
import { checkProbs, eti, sortedDraws, numpyQuantile, type Interval } from "../../engine/stats/summary.ts";
import { formatNumber } from "../../engine/units.ts";

/** A fit that cannot be drawn from this table; the message says what to change. */
export class FitError extends DrawscopeError {
  override name = "FitError";
  override readonly tag = "fit";
}

/** More groups than this are not groups but a continuous variable. */
export const MAX_GROUPS = 12;
/** Single draws cost one value per observation each: beyond this many values in all, fewer lines are traced. */
const MAX_TRACE_VALUES = 1_000_000;

export interface FitRequest {
  /** The variable with draws (mu, posterior_predictive/y). */
  draws: string;
  /** The column on the x axis; "" picks one (a value named x, else the first data value, else the observation dim). */
  x: string;
  /** Observed values drawn as points; "" picks one (observed_data/…, else a data value named y), if any. */
  observed: string;
  /** A column splitting observations into groups ("" for none). */
  group: string;
  /** Band probabilities (equal-tailed intervals). */
  probs: readonly number[];
  /** How many single draws to trace as lines. */
  spaghetti: number;
}

export interface FitObservation {
  /** The labels of `FitBands.by`. */
  keys: (string | number)[];
  x: number;
  /** NaN when no observed column is drawn. */
  observed: number;
  group?: string | number;
  source?: string;
  median: number;
  /** One per requested probability, in the request's order. */
  intervals: Interval[];
  /** Non-NaN draws. */
  n: number;
}

export interface FitBands {
  /** The columns an observation is keyed by: the source when stacked, then the draws' own dims. */
  by: string[];
  x: string;
  observed: string;
  group: string;
  probs: number[];
  /** Sorted by source, group, then x: the order lines and ribbons are drawn in. */
  observations: FitObservation[];
  groups: (string | number)[];
  sources: string[];
  /** Single draws, each with one value per observation (in `observations` order). */
  spaghetti: { label: string; values: Float64Array }[];
  /** What was picked automatically or could not be honoured, in words. */
  notes: string[];
}

/** A number column per observation: its first row's value, its mean, and whether it varies within an observation. */
function perObservation(table: Table, column: string, keys: RowKeys): { first: Float64Array; mean: Float64Array; varies: boolean } {
  const first = new Float64Array(keys.count).fill(NaN);
  const sum = new Float64Array(keys.count);
  const count = new Int32Array(keys.count);
  let varies = false;
  numberBatches(table, column).forEach((values, b) => {
    const k = keys.batch(b);
    for (let i = 0; i < values.length; i++) {
      const key = k[i];
      const v = values[i];
      if (count[key] === 0) first[key] = v;
      else if (v !== first[key] && !(v !== v && first[key] !== first[key])) varies = true;
      sum[key] += v;
      count[key]++;
    }
  });
  return { first, mean: sum.map((s, i) => s / count[i]), varies };
}

/** A label column per observation: its first row's label code, and whether it varies within one. */
export function labelPerObservation(table: Table, coder: LabelCoder, keys: RowKeys): { codes: Int32Array; varies: boolean } {
  const codes = new Int32Array(keys.count).fill(-1);
  const scratch = new Int32Array(table.batches.reduce((a, b) => Math.max(a, b.numRows), 0));
  let varies = false;
  for (let b = 0; b < coder.batchCount; b++) {
    const n = table.batches[b].numRows;
    const k = keys.batch(b);
    const c = coder.codeBatch(b, scratch);
    for (let i = 0; i < n; i++) {
      if (codes[k[i]] < 0) codes[k[i]] = c[i];
      else if (codes[k[i]] !== c[i]) varies = true;
    }
  }
  return { codes, varies };
}

/** Data (one value per observation) of a few integer codes, such as group_idx. */
function looksLikeGroupCodes(table: Table, column: string, keys: RowKeys): boolean {
  const { first, varies } = perObservation(table, column, keys);
  return !varies && first.every(Number.isInteger) && new Set(first).size <= MAX_GROUPS;
}

/** The x column when the user leaves it to the panel. */
function autoX(table: Table, request: FitRequest, values: TableColumn[], keys: RowKeys, by: readonly string[]): string {
  const named = values.find((c) => c.name === "x" || c.name.endsWith("/x"));
  if (named) return named.name;
  // Data (one value per observation) that is not a small-integer code such as group_idx.
  for (const c of values) {
    if (c.name === request.observed) continue;
    const { first, varies } = perObservation(table, c.name, keys);
    if (!varies && first.some((v) => Number.isFinite(v) && !Number.isInteger(v))) return c.name;
  }
  const dim = tableColumns(table).find((c) => c.name === by[by.length - 1] && c.role === "dim" && c.numeric);
  if (dim) return dim.name;
  throw new FitError(`no number column to put on x: add one to the query, e.g. constant_data/x`);
}

/** The observed column when the user leaves it to the panel ("" when there is none). */
function autoObserved(table: Table, values: TableColumn[], keys: RowKeys): string {
  const observed = values.find((c) => c.name.startsWith("observed_data/"));
  if (observed) return observed.name;
  const y = values.find((c) => c.name === "y");
  return y && !perObservation(table, y.name, keys).varies ? y.name : "";
}

/**
 * Per observation (a level of the draws' own dims): the median and equal-tailed intervals of the
 * draws, its x and observed value, and its group; sorted by x within each group and source.
 */
export function fitBands(table: Table, request: FitRequest): FitBands {
  checkProbs(request.probs);
  const columns = tableColumns(table);
  const column = (name: string) => columns.find((c) => c.name === name);
  const drawsColumn = column(request.draws);
  if (!drawsColumn?.numeric) throw new FitError(`'${request.draws}' is not a number column of this table`);
  const samples = columns.filter((c) => c.role === "sample").map((c) => c.name);
  if (samples.length === 0) throw new FitError(`this table has no draws (no chain and draw): add a variable with draws, e.g. mu[obs_ind] or posterior_predictive/y`);
  if (drawsColumn.dims.length === 0) throw new FitError(`${request.draws} has no observation dimension: choose a variable over observations, e.g. mu[obs_ind]`);
  const source = columns.find((c) => c.role === "source")?.name;
  const by = [...(source ? [source] : []), ...drawsColumn.dims];
  const keys = new RowKeys(table, by);
  const notes: string[] = [];
  const values = columns.filter((c) => c.role === "value" && c.numeric && c.name !== request.draws);

  const observed = request.observed === "" ? autoObserved(table, values, keys) : request.observed;
  const x = request.x === "" ? autoX(table, { ...request, observed }, values, keys, by) : request.x;
  if (request.x === "") notes.push(`x: ${x} (picked automatically).`);
  if (request.observed === "" && observed !== "") notes.push(`Observed: ${observed} (picked automatically).`);
  const xColumn = column(x);
  if (!xColumn?.numeric) throw new FitError(`x must be a number column, and '${x}' is not one`);
  const xs = perObservation(table, x, keys);
  if (xs.varies) notes.push(`${x} varies between draws: each observation is placed at its mean.`);
  const ys = observed === "" ? undefined : column(observed)?.numeric ? perObservation(table, observed, keys) : undefined;
  if (observed !== "" && !ys) notes.push(`${observed} is not a number column: no observed points.`);
  if (ys?.varies) notes.push(`${observed} varies between draws: its mean per observation is drawn.`);

  let group = request.group;
  let groupLabels: (string | number)[] = [];
  let groupCodes: Int32Array | undefined;
  const groupColumn = group === "" ? undefined : column(group);
  if (groupColumn) {
    const labelLike = groupColumn.numeric || groupColumn.role === "dim" || groupColumn.role === "source" || groupColumn.type.startsWith("Dictionary");
    const coder = labelLike ? new LabelCoder(table, group) : undefined;
    const labels = coder?.labels ?? [];
    if (!coder || labels.some((l) => typeof l === "number" && !Number.isInteger(l))) {
      notes.push(`${group} is neither labels nor integer codes: observations are not grouped.`);
    } else if (labels.length > MAX_GROUPS) {
      notes.push(`${group} has ${labels.length} levels, too many to group by (at most ${MAX_GROUPS}).`);
    } else {
      const { codes, varies } = labelPerObservation(table, coder, keys);
      if (varies) notes.push(`${group} varies within observations: each takes its first row's.`);
      groupLabels = labels;
      groupCodes = codes;
    }
  }
  if (!groupCodes) group = "";
  if (request.group === "") {
    const codes = values.find((c) => c.name !== x && c.name !== observed && looksLikeGroupCodes(table, c.name, keys));
    if (codes) notes.push(`${codes.name} looks like group codes: Group by ${codes.name} draws one fit per group.`);
  }

  // Dims the draws do not vary over (from other specs) repeat each draw: only their first level counts.
  const extra = columns.filter((c) => c.role === "dim" && !by.includes(c.name)).map((c) => c.name);
  const split = splitByLabels(table, request.draws, [...by, ...extra]);
  const firstExtra = split.labels.slice(by.length).map((l) => l[0]);
  const probs = [...request.probs];
  const observations: FitObservation[] = [];
  const keyOfObservation: number[] = [];
  let constant = true;
  for (const g of split.groups) {
    if (g.keys.slice(by.length).some((l, k) => l !== firstExtra[k])) continue;
    const labels = g.keys.slice(0, by.length);
    const key = keys.keyOf(labels);
    const sorted = sortedDraws(g.values);
    if (sorted.length > 1 && sorted[0] !== sorted[sorted.length - 1]) constant = false;
    keyOfObservation.push(key);
    observations.push({
      keys: labels,
      x: xs.varies ? xs.mean[key] : xs.first[key],
      observed: ys ? (ys.varies ? ys.mean[key] : ys.first[key]) : NaN,
      group: groupCodes ? groupLabels[groupCodes[key]] : undefined,
      source: source ? String(labels[0]) : undefined,
      median: numpyQuantile(sorted, 0.5),
      intervals: probs.map((p) => eti(sorted, p)),
      n: sorted.length,
    });
  }
  if (constant) throw new FitError(`${request.draws} has one value per observation (no draws to summarise): choose a variable with draws in "Draws of"`);

  const sources = source ? keys.coders[0].labels.map(String) : [];
  const order = observations.map((_, i) => i);
  const rank = (o: FitObservation) => [source ? sources.indexOf(o.source!) : 0, groupCodes ? groupLabels.indexOf(o.group!) : 0];
  order.sort((a, b) => {
    const [ra, rb] = [rank(observations[a]), rank(observations[b])];
    const xa = observations[a].x;
    const xb = observations[b].x;
    return ra[0] - rb[0] || ra[1] - rb[1] || (xa === xb ? 0 : Number.isNaN(xa) ? 1 : Number.isNaN(xb) ? -1 : xa - xb) || a - b;
  });
  const sortedObservations = order.map((i) => observations[i]);
  const sortedKeys = order.map((i) => keyOfObservation[i]);
  const traceable = Math.floor(MAX_TRACE_VALUES / Math.max(1, observations.length));
  if (request.spaghetti > traceable) notes.push(`${formatNumber(observations.length)} observations allow at most ${formatNumber(traceable)} single draws: ${formatNumber(traceable)} traced.`);
  return {
    by,
    x,
    observed: ys ? observed : "",
    group,
    probs,
    observations: sortedObservations,
    groups: groupLabels.filter((l) => sortedObservations.some((o) => o.group === l)),
    sources,
    spaghetti: spaghettiLines(table, Math.min(request.spaghetti, traceable), request.draws, samples, keys, sortedKeys),
    notes,
  };
}

/**
 * `lines` single draws, evenly spread over chains and draws (the same draws for every
 * observation), each as one value per observation in the order of `keysInOrder`.
 */
function spaghettiLines(table: Table, lines: number, draws: string, samples: readonly string[], keys: RowKeys, keysInOrder: readonly number[]): FitBands["spaghetti"] {
  const sampleKeys = new RowKeys(table, samples);
  const total = sampleKeys.count;
  const count = Math.min(Math.max(0, Math.floor(lines)), total);
  if (count === 0) return [];
  const pickOf = new Int32Array(total).fill(-1);
  const picked: number[] = [];
  for (let p = 0; p < count; p++) {
    const sample = Math.floor(((p + 0.5) * total) / count);
    pickOf[sample] = p;
    picked.push(sample);
  }
  const traced = picked.map(() => new Float64Array(keys.count).fill(NaN));
  numberBatches(table, draws).forEach((values, b) => {
    const sampleOf = sampleKeys.batch(b);
    const k = keys.batch(b);
    for (let i = 0; i < values.length; i++) {
      const p = pickOf[sampleOf[i]];
      if (p >= 0) traced[p][k[i]] = values[i];
    }
  });
  return picked.map((sample, p) => {
    const labels = sampleKeys.labelsOf(sample).map((label, k) => `${samples[k]} ${label}`);
    return { label: labels.join(", "), values: Float64Array.from(keysInOrder, (key) => traced[p][key]) };
  });
}

/**
 * The bands as a tidy table for export: the observation's labels, x, observed and group, then
 * `<draws>` (the median) and `<draws>_lower_<p>`, `<draws>_upper_<p>` per probability.
 */
export function fitTable(bands: FitBands, draws: string): Table {
  const { observations } = bands;
  const out: BuiltColumn[] = [];
  const labelColumn = (name: string, role: "dim" | "source", pick: (o: FitObservation) => string | number) => {
    const codeOf = new Map<string | number, number>();
    for (const o of observations) if (!codeOf.has(pick(o))) codeOf.set(pick(o), codeOf.size);
    out.push({
      name,
      role,
      data: labelData(
        [...codeOf.keys()],
        Int32Array.from(observations, (o) => codeOf.get(pick(o))!),
      ),
    });
  };
  bands.by.forEach((name, k) => labelColumn(name, k === 0 && bands.sources.length > 0 ? "source" : "dim", (o) => o.keys[k]));
  const dims = bands.by.filter((_, k) => k > 0 || bands.sources.length === 0);
  const numbers = (name: string, pick: (o: FitObservation) => number) => {
    if (!out.some((c) => c.name === name)) out.push({ name, role: "value", data: float64Data(Float64Array.from(observations, pick)), dims });
  };
  numbers(bands.x, (o) => o.x);
  if (bands.observed) numbers(bands.observed, (o) => o.observed);
  if (bands.group && !out.some((c) => c.name === bands.group)) labelColumn(bands.group, "dim", (o) => o.group!);
  numbers(draws, (o) => o.median);
  bands.probs.forEach((p, j) => {
    numbers(`${draws}_lower_${p}`, (o) => o.intervals[j].lower);
    numbers(`${draws}_upper_${p}`, (o) => o.intervals[j].upper);
  });
  return buildTable(out);
}
