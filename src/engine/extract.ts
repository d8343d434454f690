import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from "apache-arrow";
import { dictionaryData, indexArrayFor, valueData } from "./arrow-build.ts";
import { roleField } from "./columns.ts";
import { ProgressCounter, type ExtractProgress } from "./progress.ts";
import { allocateLike, type ColumnData, type NumericData } from "./column-data.ts";
import { dimDomain, sourceDomain, type DimDomain, type Label } from "./domain.ts";
import { BudgetError, SpecError } from "./errors.ts";
import { selectionSpec } from "./diagnostics-output.ts";
import { bytesPerRow, describeSize } from "./table-size.ts";
import { megabytes } from "./units.ts";
import { mapLimit } from "./limit.ts";
import { chunkCoords, chunkGrid, chunkRegion, copyChunkInto, cStrides, readChunk, type ReadOptions, type ZarrArray } from "./read.ts";
import { planSelection, readSelection, type SelectionPlan } from "./read-selection.ts";
import { findGroup, resolveSpecs, unknownGroup, type ResolvedSpec } from "./resolve.ts";
import { repeatAxis } from "./repeat.ts";
import { parseQueries } from "./spec.ts";
import type { OpenedTree } from "./tree.ts";

export interface ExtractOptions {
  /** Groups to read specs without a group prefix from; several stack with a `source` column. */
  groups?: readonly string[];
  signal?: AbortSignal;
  /** Called as chunks are read: arrays and chunks done of the query's total, bytes read. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Bytes the table may take; a query over it is refused before anything is read. */
  budget?: number;
}

/** One source group's part of a query: its specs resolved, and each output dimension's labels. */
interface SourcePlan {
  group: string;
  specs: ResolvedSpec[];
  /** Per output dimension, the labels this source yields (the inner join of its variables' labels). */
  labels: Label[][];
}

/** Chunks in flight at once: enough to keep every decode worker busy while others are read. */
const readConcurrency = (read: ReadOptions) => Math.max(8, 2 * (read.pool?.size ?? 0));

function labelsOf(opened: OpenedTree, group: string, dim: string): Label[] {
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

/** Convert values to the column's shared type when a source stores them differently. */
function conform(values: ColumnData, type: DataType): ColumnData {
  if (type instanceof Utf8 && values.kind !== "string") {
    return { kind: "string", data: Array.from(values.data as ArrayLike<number>, (v) => (values.kind === "bool" ? String(v !== 0) : String(v))) };
  }
  if (type instanceof Float64 && values.kind === "number" && !(values.data instanceof Float64Array)) {
    return { kind: "number", data: Float64Array.from(values.data) };
  }
  return values;
}

/** Columns shared by every batch: names, types, and how dims and the source are encoded. */
interface Layout {
  schema: Schema;
  domains: DimDomain[];
  valueTypes: DataType[];
  source?: ReturnType<typeof sourceDomain>;
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

function batchOf(layout: Layout, sourceIndex: number, length: number, dimColumns: NumericData[], values: ColumnData[]): RecordBatch {
  const children: Data[] = [];
  if (layout.source) {
    const indices = indexArrayFor(layout.source.type.indices as Int8, length).fill(sourceIndex);
    children.push(dictionaryData(layout.source.type, indices, layout.source.dictionary));
  }
  layout.domains.forEach((domain, k) => {
    children.push(
      domain.dictionary
        ? dictionaryData(domain.type as never, dimColumns[k], domain.dictionary)
        : makeData({ type: domain.type as Float64, length, nullCount: 0, data: dimColumns[k] as Float64Array }),
    );
  });
  values.forEach((v, i) => children.push(valueData(conform(v, layout.valueTypes[i]), layout.valueTypes[i])));
  const struct = makeData({ type: new Struct(layout.schema.fields), length, nullCount: 0, children });
  return new RecordBatch(layout.schema, struct);
}

/**
 * True when every spec reads the whole of an array of the same group with the same dimensions,
 * shape and chunking: then each chunk becomes one record batch, its decoded buffers the columns.
 */
function chunkAligned(plan: SourcePlan, arrays: readonly ZarrArray[]): boolean {
  const [first] = plan.specs;
  if (plan.specs.some((s) => s.selections.size > 0)) return false;
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return plan.specs.every(
    (s, i) =>
      s.variable.group === first.variable.group &&
      same(s.variable.dims, first.variable.dims) &&
      same(arrays[i].shape, arrays[0].shape) &&
      same(arrays[i].chunks, arrays[0].chunks),
  );
}

async function chunkBatches(
  layout: Layout,
  plan: SourcePlan,
  sourceIndex: number,
  dims: readonly string[],
  arrays: readonly ZarrArray[],
  read: ReadOptions,
): Promise<RecordBatch[]> {
  const axes = plan.specs[0].variable.dims;
  const codes = dims.map((_, k) => layout.domains[k].encode(plan.labels[k]));
  const coordsList = [...chunkCoords(chunkGrid(arrays[0]))];
  // A dimension column depends only on where the chunk starts along that axis and on the chunk's
  // extent, so batches share the few distinct ones instead of each building its own.
  const dimCache = new Map<string, NumericData>();
  const dimColumn = (k: number, origin: readonly number[], extent: readonly number[]): NumericData => {
    const axis = axes.indexOf(dims[k]);
    const key = `${k}|${origin[axis]}|${extent.join(",")}`;
    let column = dimCache.get(key);
    if (!column) {
      const length = extent.reduce((a, b) => a * b, 1);
      const inner = extent.slice(axis + 1).reduce((a, b) => a * b, 1);
      column = layout.domains[k].allocate(length);
      repeatAxis(column, codes[k].subarray(origin[axis], origin[axis] + extent[axis]), inner, length / (inner * extent[axis]));
      dimCache.set(key, column);
    }
    return column;
  };
  const chunkStrides = arrays.map((a) => cStrides(a.chunks));
  return mapLimit(coordsList, readConcurrency(read), async (coords) => {
    const chunks = await Promise.all(arrays.map((a) => readChunk(a, coords, read)));
    const { origin, extent } = chunkRegion(arrays[0], coords);
    const length = extent.reduce((a, b) => a * b, 1);
    const dimColumns = dims.map((_, k) => dimColumn(k, origin, extent));
    const values = chunks.map((chunk, i) => {
      const whole = extent.every((e, k) => e === arrays[i].chunks[k]);
      const cOrder = chunk.stride.every((s, k) => s === chunkStrides[i][k]);
      if (whole && cOrder) return chunk.values;
      const compact = allocateLike(chunk.values, length);
      copyChunkInto(compact, extent, chunk, extent.map(() => 0), extent);
      return compact;
    });
    return batchOf(layout, sourceIndex, length, dimColumns, values);
  });
}

/** Gather each variable's values into the C-ordered grid of the output dimensions. */
function gather(source: ColumnData, offsets: readonly Uint32Array[], total: number): ColumnData {
  const out = allocateLike(source, total);
  const rank = offsets.length;
  const src = source.data as ArrayLike<unknown>;
  const dst = out.data as unknown[];
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const last = offsets[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < total; r += last.length) {
    let base = 0;
    for (let k = 0; k < rank - 1; k++) base += offsets[k][idx[k]];
    for (let i = 0; i < last.length; i++) dst[r + i] = src[base + last[i]];
    for (let k = rank - 2; k >= 0; k--) {
      if (++idx[k] < offsets[k].length) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Per axis of a variable, the indices of the output's labels along it, in output order. */
function picksOf(opened: OpenedTree, plan: SourcePlan, dims: readonly string[], variable: ResolvedSpec["variable"]): Int32Array[] {
  return variable.dims.map((dim) => {
    const position = new Map(labelsOf(opened, variable.group, dim).map((l, j) => [l, j]));
    return Int32Array.from(plan.labels[dims.indexOf(dim)], (l) => position.get(l)!);
  });
}

async function joinedBatch(
  layout: Layout,
  plan: SourcePlan,
  sourceIndex: number,
  dims: readonly string[],
  arrays: readonly ZarrArray[],
  selections: readonly SelectionPlan[],
  read: ReadOptions,
): Promise<RecordBatch> {
  const sizes = plan.labels.map((l) => l.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const dimColumns = dims.map((_, k) => {
    const out = layout.domains[k].allocate(total);
    const inner = sizes.slice(k + 1).reduce((a, b) => a * b, 1);
    repeatAxis(out, layout.domains[k].encode(plan.labels[k]), inner, total / (inner * sizes[k] || 1));
    return out;
  });
  const values = await Promise.all(
    plan.specs.map(async ({ variable }, i) => {
      const picked = await readSelection(arrays[i], selections[i], read, readConcurrency(read));
      // The picks are in output order along each of the variable's axes: when those axes are the
      // output's, in its order, they are the column; otherwise broadcast over the missing ones.
      if (variable.dims.length === dims.length && variable.dims.every((d, k) => d === dims[k])) return picked;
      const strides = cStrides(variable.dims.map((d) => sizes[dims.indexOf(d)]));
      const offsets = dims.map((dim, k) => {
        const axis = variable.dims.indexOf(dim);
        const out = new Uint32Array(sizes[k]);
        if (axis >= 0) for (let j = 0; j < out.length; j++) out[j] = j * strides[axis];
        return out;
      });
      return gather(picked, offsets, total);
    }),
  );
  return batchOf(layout, sourceIndex, total, dimColumns, values);
}

/** Refuse a query whose table would take more than `budget` bytes, saying how to narrow it. */
function checkBudget(query: string, layout: Layout, plans: readonly SourcePlan[], budget: number): void {
  const rows = plans.reduce((n, p) => n + p.labels.reduce((a, l) => a * l.length, 1), 0);
  const rowBytes = layout.schema.fields.reduce((b, f) => b + bytesPerRow(f.type), 0);
  if (rows * rowBytes <= budget) return;
  // An example selection: two labels of the first non-sample dimension that has more.
  const [first] = plans;
  const labelsOf = (dim: string) => first.labels[layout.domains.findIndex((d) => d.name === dim)];
  const example = first.specs.flatMap(({ variable, dims }) => {
    const dim = dims.find((d) => labelsOf(d).length > 2);
    const name = variable.group === first.group ? variable.name : `${variable.group}/${variable.name}`;
    return dim ? [selectionSpec(name, [dim], [labelsOf(dim).slice(0, 2)])] : [];
  })[0];
  throw new BudgetError(
    `${query} would make a table of ${describeSize(rows, rowBytes)}, over the memory budget of ${megabytes(budget)}. ` +
      `Narrow it: pick labels${example ? ` (e.g. ${example})` : ""} or fewer specs, or raise the budget.`,
  );
}

/**
 * Extract a query (`beta[groups], sigma`, or several such strings) into one tidy Arrow table:
 * `[source,] chain, draw, dims..., values...`. Variables are inner-joined on shared dimensions
 * and broadcast over the ones they lack.
 */
export async function joinDraws(opened: OpenedTree, queries: string | readonly string[], options: ExtractOptions = {}): Promise<Table> {
  const { query, specs } = parseQueries(typeof queries === "string" ? [queries] : queries);
  const groups = [...new Set(options.groups?.length ? options.groups : ["posterior"])];
  for (const g of groups) if (!findGroup(opened.tree, g)) throw unknownGroup(opened.tree, g, 0, query.length);
  const resolved = groups.map((g) => resolveSpecs(opened.tree, specs, g));
  const dims = outputDims(resolved[0]);
  resolved.forEach((r, i) => {
    const other = outputDims(r);
    if (other.join() !== dims.join()) {
      throw new SpecError("dims", `in group '${groups[i]}' this query spans ${other.join(", ")}, not ${dims.join(", ")} as in '${groups[0]}'`, 0, query.length);
    }
  });
  const plans = resolved.map((specsOfSource, i) => planSource(opened, specsOfSource, groups[i], dims));
  const layout = layoutOf(plans, dims);
  if (options.budget !== undefined) checkBudget(query, layout, plans, options.budget);
  // Before reading anything: per source, whole chunks as batches, or per variable the chunks
  // holding the elements the query picks.
  const reads = plans.map((plan) => {
    const arrays = plan.specs.map((s) => opened.arrays.get(`${s.variable.group}/${s.variable.name}`)!);
    const selections = chunkAligned(plan, arrays)
      ? undefined
      : plan.specs.map((s, i) => planSelection(arrays[i], picksOf(opened, plan, dims, s.variable)));
    return { plan, arrays, selections };
  });
  const chunkReads = reads.flatMap(({ arrays, selections }) =>
    arrays.map((a, i) => [a, selections ? selections[i].chunkCount : chunkGrid(a).reduce((x, y) => x * y, 1)] as const),
  );
  const progress = options.onProgress && new ProgressCounter(chunkReads, options.onProgress);
  const read: ReadOptions = { signal: options.signal, pool: opened.pool, progress };
  const batches: RecordBatch[] = [];
  for (const [sourceIndex, { plan, arrays, selections }] of reads.entries()) {
    if (selections) batches.push(await joinedBatch(layout, plan, sourceIndex, dims, arrays, selections, read));
    else batches.push(...(await chunkBatches(layout, plan, sourceIndex, dims, arrays, read)));
  }
  return new Table(layout.schema, batches);
}
