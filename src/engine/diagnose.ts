import type { Label } from "./domain.ts";
import { DrawscopeError, SpecError } from "./errors.ts";
import type { WorkPool } from "./pool/pool.ts";
import { mapLimit } from "./limit.ts";
import { cStrides, readWhole, type ZarrArray } from "./read.ts";
import { findGroup, resolveSpecs, unknownGroup } from "./resolve.ts";
import { parseQuery } from "./spec.ts";
import { diagnoseBlock } from "./stats/diagnose-block.ts";
import { ownDims, type OpenedTree, type VariableInfo } from "./tree.ts";

/** What a diagnostics table covers: every sampled variable of a group, or the variables of a query. */
export type DiagnosticsScope = { kind: "group"; group: string } | { kind: "query"; query: string; groups: readonly string[] };

/** One variable to diagnose, and the labels of each of its own dimensions to cover. */
export interface DiagnosticTarget {
  variable: VariableInfo;
  dims: string[];
  labels: Label[][];
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
}

/** Values per block sent to a worker: big enough to amortise the message, small enough to stream. */
const BLOCK_VALUES = 1 << 19;

const isSampled = (v: VariableInfo) => v.sampleDims.includes("draw") && v.dtype !== "string";

function labelsOf(opened: OpenedTree, variable: VariableInfo, dim: string): Label[] {
  return [...(findGroup(opened.tree, variable.group)?.dims.find((d) => d.name === dim)?.labels ?? [])];
}

/** The variables a scope covers: a group's sampled variables, or a query's (only the labels it selects). */
export function diagnosticTargets(opened: OpenedTree, scope: DiagnosticsScope): DiagnosticTarget[] {
  if (scope.kind === "group") {
    const group = findGroup(opened.tree, scope.group);
    if (!group) throw unknownGroup(opened.tree, scope.group, 0, 0);
    return group.variables.filter(isSampled).map((variable) => {
      const dims = ownDims(variable);
      return { variable, dims, labels: dims.map((d) => labelsOf(opened, variable, d)) };
    });
  }
  const specs = parseQuery(scope.query);
  const targets: DiagnosticTarget[] = [];
  for (const group of scope.groups.length ? scope.groups : ["posterior"]) {
    if (!findGroup(opened.tree, group)) throw unknownGroup(opened.tree, group, 0, scope.query.length);
    for (const { variable, selections } of resolveSpecs(opened.tree, specs, group)) {
      if (!isSampled(variable) || targets.some((t) => t.variable === variable)) continue;
      const dims = ownDims(variable);
      const labels = dims.map((d) => {
        const chosen = selections.get(d);
        return chosen ? labelsOf(opened, variable, d).filter((l) => chosen.includes(l)) : labelsOf(opened, variable, d);
      });
      targets.push({ variable, dims, labels });
    }
  }
  if (!targets.length) {
    throw new SpecError("unknown-variable", `${scope.query} has no variables with draws to diagnose (data such as constant_data has none)`, 0, scope.query.length);
  }
  return targets;
}

const elementCount = (t: DiagnosticTarget) => t.labels.reduce((n, l) => n * l.length, 1);

/**
 * For each element of the target, in C order over its labels: where its first draw is in the
 * array, and its labels.
 */
function elementLayout(opened: OpenedTree, target: DiagnosticTarget): { offsets: Float64Array; labels: Label[][] } {
  const { variable, dims } = target;
  const strides = cStrides(variable.shape);
  const positions = dims.map((d, k) => {
    const index = new Map(labelsOf(opened, variable, d).map((l, i) => [l, i]));
    const stride = strides[variable.dims.indexOf(d)];
    return target.labels[k].map((l) => index.get(l)! * stride);
  });
  const count = elementCount(target);
  const offsets = new Float64Array(count);
  const labels = dims.map(() => new Array<Label>(count));
  for (let e = 0; e < count; e++) {
    let rest = e;
    for (let k = dims.length - 1; k >= 0; k--) {
      const n = target.labels[k].length;
      const i = rest % n;
      rest = (rest - i) / n;
      offsets[e] += positions[k][i];
      labels[k][e] = target.labels[k][i];
    }
  }
  return { offsets, labels };
}

/** Copy elements [from, to) out of the C-ordered array, each as its chains one after another. */
function gatherDraws(source: ArrayLike<number>, offsets: Float64Array, from: number, to: number, chainStride: number, drawStride: number, chains: number, draws: number): Float64Array {
  const length = chains * draws;
  const out = new Float64Array((to - from) * length);
  for (let c = 0; c < chains; c++) {
    for (let d = 0; d < draws; d++) {
      const base = c * chainStride + d * drawStride;
      let at = c * draws + d;
      for (let e = from; e < to; e++, at += length) out[at] = source[base + offsets[e]];
    }
  }
  return out;
}

/**
 * Compute the diagnostics of every element a scope covers, variable by variable, in blocks of
 * elements spread over the pool's workers (on this thread without a pool). Returns the number of
 * elements.
 */
export async function diagnoseScope(opened: OpenedTree, scope: DiagnosticsScope, options: DiagnoseOptions): Promise<number> {
  const { pool, signal, onBlock, onProgress } = options;
  const targets = diagnosticTargets(opened, scope);
  const total = targets.reduce((n, t) => n + elementCount(t), 0);
  let done = 0;
  let index = 0;
  onProgress?.(0, total);
  for (const target of targets) {
    const { variable } = target;
    const array = opened.arrays.get(`${variable.group}/${variable.name}`) as ZarrArray;
    const whole = await readWhole(array, { signal, pool });
    if (whole.kind === "string") throw new DrawscopeError(`${variable.group}/${variable.name} holds text, not draws`);
    const strides = cStrides(variable.shape);
    const axis = (d: string) => variable.dims.indexOf(d);
    const chains = axis("chain") < 0 ? 1 : variable.shape[axis("chain")];
    const draws = variable.shape[axis("draw")];
    const chainStride = axis("chain") < 0 ? 0 : strides[axis("chain")];
    const { offsets, labels } = elementLayout(opened, target);
    const count = offsets.length;
    const perBlock = Math.max(1, Math.floor(BLOCK_VALUES / (chains * draws)));
    const blocks = Math.ceil(count / perBlock);
    const first = index;
    index += count;
    await mapLimit(Array.from({ length: blocks }, (_, b) => b), Math.max(2, 2 * (pool?.size ?? 0)), async (b) => {
      signal?.throwIfAborted();
      const from = b * perBlock;
      const to = Math.min(count, from + perBlock);
      const block = { draws: gatherDraws(whole.data, offsets, from, to, chainStride, strides[axis("draw")], chains, draws), chains, count: to - from };
      // Without workers, yield to the event loop between blocks so a cancel can arrive.
      const stats = pool ? await pool.diagnose(block) : await new Promise<Float64Array>((resolve) => setTimeout(() => resolve(diagnoseBlock(block))));
      signal?.throwIfAborted();
      onBlock({ target, index: first + from, count: to - from, labels: labels.map((l) => l.slice(from, to)), stats });
      done += to - from;
      onProgress?.(done, total);
    });
  }
  return total;
}
