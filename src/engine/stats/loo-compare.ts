import { LooError } from "../errors.ts";
import { varianceOf } from "./moments.ts";
import { normalCdf } from "./normal-cdf.ts";

/** What a model brings to a comparison: its name, its pointwise elpd_loo and p_loo, k, and the threshold for its draws. */
export interface ComparedLoo {
  name: string;
  elpd: Float64Array;
  pLoo: Float64Array;
  looic: Float64Array;
  paretoK: Float64Array;
  kThreshold: number;
}

/** A model's LOO result as a comparison takes it. */
export function comparedLoo(name: string, result: { pointwise: Record<"elpd_loo" | "p_loo" | "looic" | "pareto_k", Float64Array>; kThreshold: number }): ComparedLoo {
  const { pointwise } = result;
  return { name, elpd: pointwise.elpd_loo, pLoo: pointwise.p_loo, looic: pointwise.looic, paretoK: pointwise.pareto_k, kThreshold: result.kThreshold };
}

/** One row of loo_compare's table: a model against the reference (the best, unless one is chosen). */
export interface ComparisonRow {
  name: string;
  rank: number;
  elpd_diff: number;
  se_diff: number;
  /** P(the model predicts worse than the reference), pnorm(0, elpd_diff, se_diff); NaN for the reference. */
  p_worse: number;
  /** loo's diag_diff: "N < 100" (few observations) or "|elpd_diff| < 4" (similar predictions), where the normal approximation is poor. */
  diag_diff: string;
  /** loo's diag_elpd: how many of its Pareto k exceed the threshold ("3 k_psis > 0.7"), else "". */
  diag_elpd: string;
  elpd_loo: number;
  se_elpd_loo: number;
  p_loo: number;
  se_p_loo: number;
  looic: number;
  se_looic: number;
}

const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
const se = (values: Float64Array) => Math.sqrt(values.length * varianceOf(values));

/**
 * loo_compare: the models ranked by elpd_loo, best first (ties in the order given), each with its
 * elpd difference from the reference and that difference's standard error, sqrt(N)·sd of the
 * pointwise differences; and the later loo's p_worse, diag_diff and diag_elpd. The reference is
 * the best model unless `reference` names another.
 */
export function looCompare(models: readonly ComparedLoo[], reference?: string): ComparisonRow[] {
  if (models.length < 2) throw new LooError("a comparison needs at least two models");
  const n = models[0].elpd.length;
  const unequal = models.find((m) => m.elpd.length !== n);
  if (unequal) {
    throw new LooError(`${models[0].name} has ${n} observations and ${unequal.name} ${unequal.elpd.length}: models are compared on the same observations`);
  }
  const totals = models.map((m) => sum(m.elpd));
  const order = models.map((_, i) => i).sort((a, b) => totals[b] - totals[a] || a - b);
  const base = reference === undefined ? order[0] : models.findIndex((m) => m.name === reference);
  if (base < 0) throw new LooError(`no model is named '${reference}': the models are ${models.map((m) => m.name).join(", ")}`);
  const diff = new Float64Array(n);
  return order.map((i, rank) => {
    const model = models[i];
    for (let j = 0; j < n; j++) diff[j] = model.elpd[j] - models[base].elpd[j];
    const elpdDiff = sum(diff);
    const seDiff = i === base ? 0 : se(diff);
    const highK = model.paretoK.reduce((count, k) => count + (k > model.kThreshold ? 1 : 0), 0);
    return {
      name: model.name,
      rank: rank + 1,
      elpd_diff: elpdDiff,
      se_diff: seDiff,
      p_worse: elpdDiff === 0 ? NaN : normalCdf((0 - elpdDiff) / seDiff),
      diag_diff: elpdDiff === 0 ? "" : n < 100 ? "N < 100" : Math.abs(elpdDiff) < 4 ? "|elpd_diff| < 4" : "",
      diag_elpd: highK ? `${highK} k_psis > ${Math.round(model.kThreshold * 100) / 100}` : "",
      elpd_loo: totals[i],
      se_elpd_loo: se(model.elpd),
      p_loo: sum(model.pLoo),
      se_p_loo: se(model.pLoo),
      looic: sum(model.looic),
      se_looic: se(model.looic),
    };
  });
}
