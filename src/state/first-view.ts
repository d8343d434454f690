import { specOf } from "../engine/spec-text.ts";
import { ownDims, type TraceTree } from "../engine/trace-tree.ts";
import { DEFAULT_GROUPS } from "./view.ts";

/** The groups a fresh view reads from: `posterior`, or else the first group with draws. */
export function defaultGroups(tree: TraceTree): string[] {
  if (tree.groups.some((g) => g.name === "posterior")) return [...DEFAULT_GROUPS];
  const sampled = tree.groups.find((g) => g.sampleDims.length > 0) ?? tree.groups[0];
  return sampled ? [sampled.name] : [...DEFAULT_GROUPS];
}

/** A first query runs by itself only when it is this small; a bigger one waits for Enter. */
export const AUTO_RUN_ROWS = 2_000_000;

/** A first query worth drawing: the group's first variable with one small dimension, or its first. */
export function defaultQuery(tree: TraceTree, group: string): { query: string; rows: number } {
  const variables = tree.groups.find((g) => g.name === group)?.variables ?? [];
  const small = variables.find((v) => {
    const dims = ownDims(v);
    return dims.length === 1 && v.shape[v.dims.indexOf(dims[0])] <= 24;
  });
  const first = small ?? variables[0];
  return first ? { query: specOf(first, group), rows: first.shape.reduce((a, b) => a * b, 1) } : { query: "", rows: 0 };
}
