import { Bool, Float32, Float64, Int16, Int32, Int8, Schema, Uint16, Uint32, Uint8, Utf8, type DataType } from "apache-arrow";
import { roleField } from "./columns.ts";
import { dimDomain, sourceDomain, type DimDomain, type Label } from "./domain.ts";
import { SpecError } from "./errors.ts";
import { findGroup, resolveSpecs, unknownGroup, type ResolvedSpec } from "./resolve.ts";
import { parseQueries } from "./spec.ts";
import type { OpenedTree } from "./tree.ts";

/** One source group's part of a query: its specs resolved, and each output dimension's labels. */
export interface SourcePlan {
  group: string;
  specs: ResolvedSpec[];
  /** Per output dimension, the labels this source yields (the inner join of its variables' labels). */
  labels: Label[][];
}

/** Columns shared by every batch: names, types, and how dims and the source are encoded. */
export interface Layout {
  schema: Schema;
  domains: DimDomain[];
  valueTypes: DataType[];
  source?: ReturnType<typeof sourceDomain>;
}

/** A query resolved against a trace, before anything is read: what it reads and the table's columns. */
export interface QueryPlan {
  query: string;
  dims: string[];
  sources: SourcePlan[];
  layout: Layout;
}

export function labelsOf(opened: OpenedTree, group: string, dim: string): Label[] {
  const info = findGroup(opened.tree, group)?.dims.find((d) => d.name === dim);
  return info ? [...info.labels] : [];
}

/** Output dimensions: sample dimensions first, then the others, each in first-seen order. */
function outputDims(specs: readonly ResolvedSpec[]): string[] {
  const sample: string[] = [];
  const other: string[] = [];
  for (const { variable, dims } of specs) {
    for (const d of variable.sampleDims) if (!sample.includes(d)) sample.push(d);
    for (const d of dims) if (!other.includes(d)) other.push(d);
  }
  return [...sample, ...other];
}

/** Inner join of label lists: the first list's order, kept where every list has the label. */
function intersect(lists: readonly Label[][]): Label[] {
  const [first, ...rest] = lists;
  const sets = rest.map((l) => new Set(l));
  return first.filter((l) => sets.every((s) => s.has(l)));
}

function planSource(opened: OpenedTree, specs: ResolvedSpec[], group: string, dims: readonly string[]): SourcePlan {
  const labels = dims.map((dim) =>
    intersect(
      specs
        .filter((s) => s.variable.dims.includes(dim))
        .flatMap((s) => [labelsOf(opened, s.variable.group, dim), ...(s.selections.has(dim) ? [s.selections.get(dim)!] : [])]),
    ),
  );
  return { group, specs, labels };
}

/** Types of the value columns, shared by every source: one dtype as it is, mixed numbers as float64. */
function valueTypes(plans: readonly SourcePlan[]): DataType[] {
  return plans[0].specs.map((_, i) => {
    const dtypes = new Set(plans.map((p) => p.specs[i].variable.dtype));
    const dtype = dtypes.size === 1 ? [...dtypes][0] : [...dtypes].some((d) => d === "string" || d === "bool") ? "string" : "float64";
    return arrowTypeForDtype(dtype);
  });
}

function arrowTypeForDtype(dtype: string): DataType {
  switch (dtype) {
    case "float32":
      return new Float32();
    case "int8":
      return new Int8();
    case "int16":
      return new Int16();
    case "int32":
      return new Int32();
    case "uint8":
      return new Uint8();
    case "uint16":
      return new Uint16();
    case "uint32":
      return new Uint32();
    case "bool":
      return new Bool();
    case "string":
      return new Utf8();
    default:
      return new Float64();
  }
}

function layoutOf(plans: readonly SourcePlan[], dims: readonly string[]): Layout {
  const domains = dims.map((dim, k) => dimDomain(dim, plans.map((p) => p.labels[k])));
  const types = valueTypes(plans);
  const source = plans.length > 1 ? sourceDomain(plans.map((p) => p.group)) : undefined;
  const sampleDims = new Set(plans.flatMap((p) => p.specs.flatMap((s) => s.variable.sampleDims)));
  const fields = [
    ...(source ? [roleField("source", source.type, "source")] : []),
    ...domains.map((d) => roleField(d.name, d.type, sampleDims.has(d.name) ? "sample" : "dim")),
    ...plans[0].specs.map((s, i) => roleField(s.column, types[i], "value", s.dims)),
  ];
  return { schema: new Schema(fields), domains, valueTypes: types, source };
}

/**
 * Resolve a query (`beta[groups], sigma`, or several such strings) against the trace, for each
 * group it reads from: the output dimensions, each source's labels, and the table's columns.
 */
export function planQuery(opened: OpenedTree, queries: string | readonly string[], groupNames?: readonly string[]): QueryPlan {
  const { query, specs } = parseQueries(typeof queries === "string" ? [queries] : queries);
  const groups = [...new Set(groupNames?.length ? groupNames : ["posterior"])];
  for (const g of groups) if (!findGroup(opened.tree, g)) throw unknownGroup(opened.tree, g, 0, query.length);
  const resolved = groups.map((g) => resolveSpecs(opened.tree, specs, g));
  const dims = outputDims(resolved[0]);
  resolved.forEach((r, i) => {
    const other = outputDims(r);
    if (other.join() !== dims.join()) {
      throw new SpecError("dims", `in group '${groups[i]}' this query spans ${other.join(", ")}, not ${dims.join(", ")} as in '${groups[0]}'`, 0, query.length);
    }
  });
  const sources = resolved.map((specsOfSource, i) => planSource(opened, specsOfSource, groups[i], dims));
  return { query, dims, sources, layout: layoutOf(sources, dims) };
}

/** Rows of the whole table: per source, the product of its dimensions' label counts. */
export function planRows(plan: QueryPlan): number {
  return plan.sources.reduce((n, p) => n + p.labels.reduce((a, l) => a * l.length, 1), 0);
}
