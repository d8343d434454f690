import { Bool, Float32, Float64, Int16, Int32, Int8, Schema, Uint16, Uint32, Uint8, Utf8, type DataType } from "apache-arrow";
import { roleField } from "./columns.ts";
import { dimDomain, sourceDomain, type DimDomain, type Label } from "./domain.ts";
import { SpecError } from "./errors.ts";
import { compile, type Program } from "./evaluate.ts";
import { operandsOf, parseEntries, type Derived, type QueryEntry } from "./expression.ts";
import { findGroup, resolveOperand, resolveSpecs, unknownGroup, type ResolvedSpec } from "./resolve.ts";
import type { OpenedTree } from "./tree.ts";

/**
 * One source group's part of a query: the specs it reads (the query's specs, then its expressions'
 * operands that are not among them), and each output dimension's labels.
 */
export interface SourcePlan {
  group: string;
  specs: ResolvedSpec[];
  /** Per output dimension, the labels this source yields (the inner join of its variables' labels). */
  labels: Label[][];
}

/** A value column of the table: a spec's values as read, or an expression's computed from the specs read. */
export type ValueColumn = { kind: "spec"; spec: number } | { kind: "derived"; name: string; program: Program; dims: string[] };

/** Columns shared by every batch: names, types, and how dims and the source are encoded. */
export interface Layout {
  schema: Schema;
  domains: DimDomain[];
  /** The type of each spec read, shared by every source. */
  valueTypes: DataType[];
  /** The table's value columns, in the query's order. */
  columns: ValueColumn[];
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

/** Whether a spec's values vary along `dim` (a dimension an operand's one-label selection dropped does not count). */
export const spans = (s: ResolvedSpec, dim: string) => s.variable.sampleDims.includes(dim) || s.dims.includes(dim);

function planSource(opened: OpenedTree, specs: ResolvedSpec[], group: string, dims: readonly string[]): SourcePlan {
  const labels = dims.map((dim) => intersect(specs.filter((s) => spans(s, dim)).flatMap((s) => [labelsOf(opened, s.variable.group, dim), ...(s.selections.has(dim) ? [s.selections.get(dim)!] : [])])));
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

function layoutOf(plans: readonly SourcePlan[], dims: readonly string[], columns: ValueColumn[]): Layout {
  const domains = dims.map((dim, k) =>
    dimDomain(
      dim,
      plans.map((p) => p.labels[k]),
    ),
  );
  const types = valueTypes(plans);
  const source = plans.length > 1 ? sourceDomain(plans.map((p) => p.group)) : undefined;
  const sampleDims = new Set(plans.flatMap((p) => p.specs.flatMap((s) => s.variable.sampleDims)));
  const fields = [
    ...(source ? [roleField("source", source.type, "source")] : []),
    ...domains.map((d) => roleField(d.name, d.type, sampleDims.has(d.name) ? "sample" : "dim")),
    ...columns.map((c) => {
      if (c.kind === "derived") return roleField(c.name, new Float64(), "value", c.dims);
      const spec = plans[0].specs[c.spec];
      return roleField(spec.column, types[c.spec], "value", spec.dims);
    }),
  ];
  return { schema: new Schema(fields), domains, valueTypes: types, columns, source };
}

/** A query's entries resolved in one group: the specs to read, and the value columns made of them. */
interface ResolvedEntries {
  specs: ResolvedSpec[];
  /** Per entry: the spec it is, or its expression with the specs its operands read. */
  entries: ({ kind: "spec"; spec: number } | { kind: "derived"; derived: Derived; operands: number[] })[];
}

/** A key telling operands apart: the variable, the dimensions and the labels read. */
const operandKey = (s: ResolvedSpec) => `${s.variable.group}/${s.variable.name}[${s.dims.join(",")}]${[...s.selections].map(([d, l]) => `${d}=${l.join("|")}`).join(";")}`;

function resolveEntries(opened: OpenedTree, entries: readonly QueryEntry[], group: string): ResolvedEntries {
  const plain = entries.flatMap((e) => (e.kind === "spec" ? [e.spec] : []));
  const specs = resolveSpecs(opened.tree, plain, group);
  const index = new Map(specs.map((s, i) => [operandKey(s), i]));
  let next = 0;
  const resolved = entries.map((entry): ResolvedEntries["entries"][number] => {
    if (entry.kind === "spec") return { kind: "spec", spec: next++ };
    const operands = operandsOf(entry.derived.expr).map(({ spec }) => {
      const operand = resolveOperand(opened.tree, spec, group, `#operand ${specs.length}`);
      const key = operandKey(operand);
      let at = index.get(key);
      if (at === undefined) {
        at = specs.push(operand) - 1;
        index.set(key, at);
      }
      return at;
    });
    return { kind: "derived", derived: entry.derived, operands };
  });
  return { specs, entries: resolved };
}

/** The value columns of resolved entries; an expression's name must differ from every other column's. */
function valueColumns(resolved: ResolvedEntries, dims: readonly string[], source: boolean): ValueColumn[] {
  const { specs } = resolved;
  const taken = new Set<string>([...dims, ...(source ? ["source"] : [])]);
  for (const e of resolved.entries) if (e.kind === "spec") taken.add(specs[e.spec].column);
  return resolved.entries.map((e): ValueColumn => {
    if (e.kind === "spec") return e;
    const { derived, operands } = e;
    if (taken.has(derived.column)) {
      const where = derived.name ?? { start: derived.start, end: derived.end };
      throw new SpecError("duplicate", `the expression's name '${derived.column}' is already a column of this query: name it otherwise (name = expression)`, where.start, where.end);
    }
    taken.add(derived.column);
    // operands[i] is what the i-th operand node (operandsOf's order) reads.
    const nodes = operandsOf(derived.expr);
    const program = compile(derived.expr, (node) => operands[nodes.indexOf(node)]);
    const own = new Set(operands.flatMap((i) => specs[i].dims));
    return { kind: "derived", name: derived.column, program, dims: dims.filter((d) => own.has(d)) };
  });
}

/** An expression whose operands share a dimension but none of its labels would have no rows: say so. */
function checkJoins(resolved: ResolvedEntries, plan: SourcePlan, dims: readonly string[]): void {
  for (const e of resolved.entries) {
    if (e.kind !== "derived") continue;
    dims.forEach((dim, k) => {
      const sharing = e.operands.filter((i) => resolved.specs[i].dims.includes(dim));
      if (plan.labels[k].length > 0 || sharing.length < 2) return;
      const names = sharing.map((i) => `'${resolved.specs[i].spec.name.text}'`).join(" and ");
      throw new SpecError("dims", `${names} share no label of '${dim}', so '${e.derived.column}' has no values: select labels they both have`, e.derived.expr.start, e.derived.expr.end);
    });
  }
}

/**
 * Resolve a query (`beta[groups], sigma`, expressions such as `d = beta[groups] - beta[groups=North]`,
 * or several such strings) against the trace, for each group it reads from: the output dimensions,
 * each source's labels, and the table's columns.
 */
export function planQuery(opened: OpenedTree, queries: string | readonly string[], groupNames?: readonly string[]): QueryPlan {
  const { query, entries } = parseEntries(typeof queries === "string" ? [queries] : queries);
  const groups = [...new Set(groupNames?.length ? groupNames : ["posterior"])];
  for (const g of groups) if (!findGroup(opened.tree, g)) throw unknownGroup(opened.tree, g, 0, query.length);
  const resolved = groups.map((g) => resolveEntries(opened, entries, g));
  if (resolved[0].specs.length === 0) {
    throw new SpecError("syntax", `${query.trim()} reads no variable: an expression needs a spec among its operands, e.g. exp(sigma)`, 0, query.length);
  }
  const dims = outputDims(resolved[0].specs);
  resolved.forEach((r, i) => {
    const other = outputDims(r.specs);
    if (other.join() !== dims.join()) {
      throw new SpecError("dims", `in group '${groups[i]}' this query spans ${other.join(", ")}, not ${dims.join(", ")} as in '${groups[0]}'`, 0, query.length);
    }
  });
  const sources = resolved.map((r, i) => planSource(opened, r.specs, groups[i], dims));
  resolved.forEach((r, i) => checkJoins(r, sources[i], dims));
  const columns = valueColumns(resolved[0], dims, sources.length > 1);
  return { query, dims, sources, layout: layoutOf(sources, dims, columns) };
}

/** Rows of the whole table: per source, the product of its dimensions' label counts. */
export function planRows(plan: QueryPlan): number {
  return plan.sources.reduce((n, p) => n + p.labels.reduce((a, l) => a * l.length, 1), 0);
}
