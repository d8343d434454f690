import { diagnosticTargets, type DiagnosticTarget } from "./diagnose.ts";
import type { Label } from "./domain.ts";
import { elementCount, elementLabels, targetBlocks } from "./element-blocks.ts";
import { LooError } from "./errors.ts";
import type { WorkPool } from "./pool/pool.ts";
import { findGroup } from "./resolve.ts";
import { runSlabJobs } from "./slab-jobs.ts";
import { LOO_POINTWISE, summedEstimate, type Estimate, type LooPointwiseName, type REffMode } from "./stats/loo.ts";
import type { OpenedTree } from "./tree.ts";
import type { VariableInfo } from "./trace-tree.ts";

export const LOG_LIKELIHOOD = "log_likelihood";

export interface LooOptions {
  /** The log-likelihood variable of the log_likelihood group; may be left out when the group has one. */
  variable?: string;
  /** r_eff per observation: loo's relative_eff over the chains (the default), or 1. */
  rEff?: REffMode;
  signal?: AbortSignal;
  /** Observations done of the total, after each block. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes of chunks and draws held at once (MEMORY_BOUND by default). */
  memoryBound?: number;
}

/** PSIS-LOO of one log-likelihood variable, as R's loo computes it: per observation and summed. */
export interface LooResult {
  /** `log_likelihood/<name>`. */
  variable: string;
  /** The observation dimensions, and each observation's label along each (observation i: labels[k][i]). */
  dims: string[];
  labels: Label[][];
  chains: number;
  /** Draws in all (S). */
  draws: number;
  rEff: REffMode;
  pointwise: Record<LooPointwiseName, Float64Array>;
  elpd_loo: Estimate;
  p_loo: Estimate;
  looic: Estimate;
  /** loo's Pareto k threshold for S draws, min(1 - 1/log10(S), 0.7): above it an observation's estimate is unreliable. */
  kThreshold: number;
}

const kThresholdOf = (draws: number) => Math.min(1 - 1 / Math.log10(draws), 0.7);

/** The log-likelihood variable to use: the one named, or the group's only one; else an error that lists them. */
function looTarget(opened: OpenedTree, variable: string | undefined): DiagnosticTarget {
  const group = findGroup(opened.tree, LOG_LIKELIHOOD);
  if (!group) {
    throw new LooError(
      `the trace has no log_likelihood group, which PSIS-LOO needs: save the pointwise log-likelihood with the trace ` +
        `(in ArviZ, idata_kwargs={"log_likelihood": True} or az.compute_log_likelihood; in Stan, a log_lik generated quantity).`,
    );
  }
  const sampled = group.variables.filter((v: VariableInfo) => v.sampleDims.includes("draw") && v.dtype !== "string");
  const names = sampled.map((v) => v.name).join(", ");
  if (variable === undefined) {
    if (sampled.length !== 1) throw new LooError(`the log_likelihood group has ${sampled.length} variables (${names}): choose the one to use`);
    variable = sampled[0].name;
  }
  const name = variable.replace(/^log_likelihood\//, "");
  if (!sampled.some((v) => v.name === name)) throw new LooError(`the log_likelihood group has no variable '${name}': it has ${names}`);
  const [target] = diagnosticTargets(opened, { kind: "query", query: name, groups: [LOG_LIKELIHOOD] });
  if (!target.variable.sampleDims.includes("chain")) throw new LooError(`log_likelihood/${name} has no chain dimension: PSIS-LOO needs draws by chain and draw`);
  return target;
}

/**
 * PSIS-LOO of a log-likelihood variable, streamed over its observations: read in blocks of
 * observations aligned to its chunks within a memory bound (as diagnostics are), each block's
 * observations smoothed and summed on the pool's workers. Every observation's draws must be
 * finite, as loo requires; the first that is not is named.
 */
export async function looOf(opened: OpenedTree, options: LooOptions & { pool?: WorkPool }): Promise<LooResult> {
  const { pool, signal, onProgress, memoryBound, rEff = "relative" } = options;
  const target = looTarget(opened, options.variable);
  const total = elementCount(target);
  const name = `${LOG_LIKELIHOOD}/${target.variable.name}`;
  if (total === 0) throw new LooError(`${name} has no observations`);
  const pointwise = Object.fromEntries(LOO_POINTWISE.map((name) => [name, new Float64Array(total)])) as LooResult["pointwise"];
  const columns = LOO_POINTWISE.map((name) => pointwise[name]);
  let chains = 0;
  let draws = 0;
  let done = 0;
  onProgress?.(0, total);
  for await (const blockDraws of targetBlocks(opened, target, { pool, signal, memoryBound, order: "draws" })) {
    chains = blockDraws.chains;
    draws = blockDraws.perElement;
    await runSlabJobs(
      blockDraws.slabs,
      (slab) => ({ kind: "loo", block: { draws: slab.draws, chains, count: slab.block.count, rEff } }),
      { pool, signal },
      (slab, values) => {
        for (let i = 0; i < slab.block.count; i++) {
          for (let j = 0; j < columns.length; j++) columns[j][slab.block.from + i] = values[i * columns.length + j];
        }
        done += slab.block.count;
        onProgress?.(done, total);
      },
    );
  }
  if (draws < 2) throw new LooError(`${name} has ${draws} draw${draws === 1 ? "" : "s"} per observation: PSIS-LOO needs a sample of draws`);
  const bad = pointwise.elpd_loo.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) {
    const where = elementLabels(target, bad, bad + 1)
      .map((l, k) => `${target.dims[k]}=${l[0]}`)
      .join(", ");
    throw new LooError(`${name} has a draw that is not a finite number at ${where || "its only observation"}: PSIS-LOO needs finite log-likelihoods (as R's loo does)`);
  }
  return {
    variable: name,
    dims: target.dims,
    labels: elementLabels(target, 0, total),
    chains,
    draws,
    rEff,
    pointwise,
    elpd_loo: summedEstimate(pointwise.elpd_loo),
    p_loo: summedEstimate(pointwise.p_loo),
    looic: summedEstimate(pointwise.looic),
    kThreshold: kThresholdOf(draws),
  };
}
