import type { SlabDraws } from "./block-draws.ts";
import { elementCount, elementLabels } from "./element-blocks.ts";
import type { Label } from "./domain.ts";
import { SpecError } from "./errors.ts";
import type { BlockJob } from "./pool/block-job.ts";
import type { WorkPool } from "./pool/pool.ts";
import { derivedTarget, targetDraws } from "./derived-blocks.ts";
import { parseEntries } from "./expression.ts";
import { labelsOf, planQuery } from "./query-plan.ts";
import { findGroup, resolveSpecs, unknownGroup } from "./resolve.ts";
import { runSlabJobs } from "./slab-jobs.ts";
import type { OpenedTree } from "./tree.ts";
import { ownDims, type VariableInfo } from "./trace-tree.ts";

/** What a diagnostics table covers: every sampled variable of a group, or the variables of a query. */
export type DiagnosticsScope = { kind: "group"; group: string } | { kind: "query"; query: string; groups: readonly string[] };

/** One variable to diagnose, and the labels of each of its own dimensions to cover. */
export interface DiagnosticTarget {
  variable: VariableInfo;
  dims: string[];
  labels: Label[][];
  /** For an expression of the query: its entry (`name = expression`), computed by the query engine; `variable` then describes its column. */
  derived?: string;
}

/**
 * Diagnostics of consecutive elements of one variable: element `i` of the block has the labels
 * `labels[k][i]` along `dims[k]`, and its values at `stats[i * DIAGNOSTIC_NAMES.length + j]`.
 */
export interface DiagnosedBlock {
  target: DiagnosticTarget;
  /** The position of the block's first element among all the scope's elements. */
  index: number;
  count: number;
  labels: Label[][];
  stats: Float64Array;
}

export interface DiagnoseOptions {
  pool?: WorkPool;
  signal?: AbortSignal;
  /** Each block as soon as it is computed; blocks of a variable may arrive out of order. */
  onBlock: (block: DiagnosedBlock) => void;
  /** Elements done of the scope's total, after each block. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes of chunks and draws a variable's diagnosis holds at once (MEMORY_BOUND by default). */
  memoryBound?: number;
}

const isSampled = (v: VariableInfo) => v.sampleDims.includes("draw") && v.dtype !== "string";

/** The variables a scope covers: a group's sampled variables, or a query's (only the labels it selects). */
export function diagnosticTargets(opened: OpenedTree, scope: DiagnosticsScope): DiagnosticTarget[] {
  if (scope.kind === "group") {
    const group = findGroup(opened.tree, scope.group);
    if (!group) throw unknownGroup(opened.tree, scope.group, 0, 0);
    return group.variables.filter(isSampled).map((variable) => {
      const dims = ownDims(variable);
      return { variable, dims, labels: dims.map((d) => labelsOf(opened, variable.group, d)) };
    });
  }
  const { query, entries } = parseEntries([scope.query]);
  const specs = entries.flatMap((e) => (e.kind === "spec" ? [e.spec] : []));
  const targets: DiagnosticTarget[] = [];
  for (const group of scope.groups.length ? scope.groups : ["posterior"]) {
    if (!findGroup(opened.tree, group)) throw unknownGroup(opened.tree, group, 0, scope.query.length);
    // With expressions, the whole query first, so that an error is positioned in it.
    if (entries.some((e) => e.kind === "derived")) planQuery(opened, query, [group]);
    for (const { variable, selections } of resolveSpecs(opened.tree, specs, group)) {
      if (!isSampled(variable) || targets.some((t) => t.variable === variable)) continue;
      const dims = ownDims(variable);
      const labels = dims.map((d) => {
        const chosen = selections.get(d);
        return chosen ? labelsOf(opened, variable.group, d).filter((l) => chosen.includes(l)) : labelsOf(opened, variable.group, d);
      });
      targets.push({ variable, dims, labels });
    }
    for (const entry of entries) {
      if (entry.kind !== "derived") continue;
      const target = derivedTarget(opened, query.slice(entry.derived.start, entry.derived.end), group);
      if (target) targets.push(target);
    }
  }
  if (!targets.length) {
    throw new SpecError("unknown-variable", `${scope.query} has no variables with draws to diagnose (data such as constant_data has none)`, 0, scope.query.length);
  }
  return targets;
}

/**
 * Compute the diagnostics of every element a scope covers, variable by variable. Each variable is
 * read in blocks of elements aligned to its chunks (only the chunks holding the scope's labels),
 * one block at a time within a memory bound, and each block is diagnosed in jobs spread over the
 * pool's workers. Returns the number of elements.
 */
export async function diagnoseScope(opened: OpenedTree, scope: DiagnosticsScope, options: DiagnoseOptions): Promise<number> {
  const { pool, signal, onBlock, onProgress, memoryBound } = options;
  const targets = diagnosticTargets(opened, scope);
  const total = targets.reduce((n, t) => n + elementCount(t), 0);
  let done = 0;
  let index = 0;
  onProgress?.(0, total);
  for (const target of targets) {
    const first = index;
    index += elementCount(target);
    for await (const blockDraws of targetDraws(opened, target, { pool, signal, memoryBound })) {
      const jobOf = (slab: SlabDraws): BlockJob => ({ kind: "diagnose", block: { draws: slab.draws, chains: blockDraws.chains, count: slab.block.count } });
      await runSlabJobs(blockDraws.slabs, jobOf, { pool, signal }, (slab, stats) => {
        const at = slab.block.from;
        const count = slab.block.count;
        onBlock({ target, index: first + at, count, labels: elementLabels(target, at, at + count), stats });
        done += count;
        onProgress?.(done, total);
      });
    }
  }
  return total;
}
