import type { Table } from "apache-arrow";
import { LabelCoder, numberBatches, tableColumns } from "../../engine/columns.ts";
import { DrawscopeError } from "../../engine/errors.ts";
import { RowKeys } from "../../engine/split.ts";
import { labelPerObservation, MAX_GROUPS } from "../fit/bands.ts";

/** A predictive check that cannot be drawn from this table; the message says what to change. */
export class PpcError extends DrawscopeError {
  override name = "PpcError";
  override readonly tag = "ppc";
}

/**
 * A query's predictive draws as a matrix: `draws` rows (one per chain and draw) of `observations`
 * values, draw-major, and the observed value of each observation (NaN where it has none).
 */
export interface PredictiveMatrix {
  /** The predictive variable's column, and the observed column paired with it. */
  predictive: string;
  observed: string;
  /** The observation dimensions (the predictive variable's own). */
  dims: string[];
  /** Chains among the draws: draws are numbered chain after chain. */
  chains: number;
  draws: number;
  observations: number;
  /** draws × observations, draw after draw. */
  values: Float64Array;
  observedValues: Float64Array;
  /** Each observation's labels, "92" or "Choate · 2019". */
  labels: string[];
  /** True when every observed and predictive value is an integer (counts): bars instead of densities. */
  integer: boolean;
  /** Each row's draw and observation, for other columns of the same table (matrixOf). */
  drawKeys: RowKeys;
  observationKeys: RowKeys;
}

/**
 * The observed column for a predictive variable: the one named, else the same variable in
 * observed_data (posterior_predictive/y ↔ observed_data/y, as ArviZ pairs them), else the only
 * observed_data column; "" when there is none.
 */
export function pairedObserved(table: Table, predictive: string, asked: string): string {
  if (asked !== "") return asked;
  const names = tableColumns(table).map((c) => c.name);
  const name = predictive.slice(predictive.lastIndexOf("/") + 1);
  if (names.includes(`observed_data/${name}`)) return `observed_data/${name}`;
  const observed = names.filter((n) => n.startsWith("observed_data/"));
  return observed.length === 1 ? observed[0] : "";
}

/** The predictive draws and the observed values of a query's table as a matrix (see PredictiveMatrix). */
export function predictiveMatrix(table: Table, predictive: string, askedObserved: string): PredictiveMatrix {
  const columns = tableColumns(table);
  const column = columns.find((c) => c.name === predictive);
  if (!column?.numeric) throw new PpcError(`'${predictive}' is not a number column of this table`);
  const samples = columns.filter((c) => c.role === "sample").map((c) => c.name);
  if (samples.length === 0) throw new PpcError(`this table has no draws (no chain and draw): query predictive draws, e.g. posterior_predictive/y[obs_ind], observed_data/y[obs_ind]`);
  if (column.dims.length === 0) throw new PpcError(`${predictive} has no observation dimension: a predictive check compares draws over observations, e.g. posterior_predictive/y[obs_ind]`);
  const observed = pairedObserved(table, predictive, askedObserved);
  if (observed === "") {
    const name = predictive.slice(predictive.lastIndexOf("/") + 1);
    throw new PpcError(`the query has no observed values to check ${predictive} against: add them, e.g. observed_data/${name}[${column.dims.join(", ")}]`);
  }
  const observedColumn = columns.find((c) => c.name === observed);
  if (!observedColumn?.numeric) throw new PpcError(`the observed column '${observed}' is not a number column of this table`);
  if (observed === predictive) throw new PpcError(`${predictive} cannot be checked against itself: choose the observed values in Observed`);

  const drawKeys = new RowKeys(table, samples);
  const observationKeys = new RowKeys(table, column.dims);
  const chains = samples.includes("chain") ? new RowKeys(table, ["chain"]).count : 1;
  const draws = drawKeys.count;
  const observations = observationKeys.count;
  const values = new Float64Array(draws * observations).fill(NaN);
  const observedValues = new Float64Array(observations).fill(NaN);
  const predictiveBatches = numberBatches(table, predictive);
  const observedBatches = numberBatches(table, observed);
  let varies = false;
  predictiveBatches.forEach((batch, b) => {
    const d = drawKeys.batch(b);
    const o = observationKeys.batch(b);
    const seen = observedBatches[b];
    for (let i = 0; i < batch.length; i++) {
      values[d[i] * observations + o[i]] = batch[i];
      const y = seen[i];
      const before = observedValues[o[i]];
      if (before !== before) observedValues[o[i]] = y;
      else if (before !== y) varies = true;
    }
  });
  if (varies) throw new PpcError(`${observed} varies between draws, so it is not observed data: choose the observed values in Observed`);
  let integer = true;
  for (const v of observedValues) if (!Number.isInteger(v)) integer = false;
  for (let i = 0; integer && i < values.length; i++) if (!Number.isInteger(values[i])) integer = false;
  const labels = Array.from({ length: observations }, (_, key) => observationKeys.labelsOf(key).map(String).join(" · "));
  return { predictive, observed, dims: column.dims, chains, draws, observations, values, observedValues, labels, integer, drawKeys, observationKeys };
}

/**
 * Another column of the table (a log-likelihood) as a matrix the shape of `m` (draws × observations,
 * the same draws and observations); undefined when the table has no such number column.
 */
export function matrixOf(table: Table, m: PredictiveMatrix, name: string): Float64Array | undefined {
  const column = tableColumns(table).find((c) => c.name === name);
  if (!column?.numeric) return undefined;
  const values = new Float64Array(m.draws * m.observations).fill(NaN);
  numberBatches(table, name).forEach((batch, b) => {
    const d = m.drawKeys.batch(b);
    const o = m.observationKeys.batch(b);
    for (let i = 0; i < batch.length; i++) values[d[i] * m.observations + o[i]] = batch[i];
  });
  return values;
}

/**
 * Each observation's group: the label of `column` on its first row (a dimension, the source, or
 * a data column of a few values such as group codes), as the fit panel groups observations. A
 * reason instead when the column has more than MAX_GROUPS levels or varies within observations.
 */
export function observationGroups(table: Table, m: PredictiveMatrix, column: string): { labels: string[]; codes: Int32Array } | { problem: string } {
  let coder: LabelCoder;
  try {
    coder = new LabelCoder(table, column);
  } catch {
    return { problem: `there is no column '${column}' to group by` };
  }
  if (coder.labels.length > MAX_GROUPS) return { problem: `${column} has ${coder.labels.length} levels, too many to group by (at most ${MAX_GROUPS})` };
  const { codes, varies } = labelPerObservation(table, coder, m.observationKeys);
  if (varies) return { problem: `${column} varies within observations, so it does not group them` };
  return { labels: coder.labels.map(String), codes };
}

/** The matrix of some observations only (in the order given). */
export function subsetMatrix(m: PredictiveMatrix, observations: readonly number[]): PredictiveMatrix {
  const n = observations.length;
  const values = new Float64Array(m.draws * n);
  for (let s = 0; s < m.draws; s++) for (let j = 0; j < n; j++) values[s * n + j] = m.values[s * m.observations + observations[j]];
  return {
    ...m,
    observations: n,
    values,
    observedValues: Float64Array.from(observations, (i) => m.observedValues[i]),
    labels: observations.map((i) => m.labels[i]),
  };
}
