import type { RecordBatch } from "apache-arrow";
import { batchGrid, gridBatches, type BatchGrid, type GridBatch } from "./batch-grid.ts";
import { batchOf, noValues } from "./batch-build.ts";
import { allocateLike, type ColumnData, type NumericData } from "./column-data.ts";
import type { DecodedChunk } from "./decode/job.ts";
import { gather } from "./gather.ts";
import { labelsOf, spans, type Layout, type SourcePlan } from "./query-plan.ts";
import { readAhead } from "./read-ahead.ts";
import { planAxis, scatter, selectionChunks, type AxisPlan } from "./read-selection.ts";
import { cStrides, readChunk, type ReadOptions, type ZarrArray } from "./read.ts";
import { repeatAxis } from "./repeat.ts";
import type { OpenedTree } from "./tree.ts";

/** One variable of a source, as range batches read it. */
interface VariableReads {
  array: ZarrArray;
  /** For each of the variable's axes, the output axis it is (-1 for an axis an operand's one-label selection dropped). */
  outAxes: number[];
  /** For each of the variable's axes, the indices of the output's labels along it, in output order. */
  picks: Int32Array[];
  /** For each of the variable's axes, its plan over all its picks (what a batch takes of axes after the grid's). */
  whole: AxisPlan[];
  /** For the variable's axis that is the grid's, its plan over each of the grid's ranges. */
  byRange: AxisPlan[] | undefined;
  /** Its axes are the output's, in the output's order: its picks are the batch's column as they are. */
  direct: boolean;
}

/** A chunk to read: of which variable, where, and the first batch that needs it. */
interface ChunkRead {
  variable: number;
  coords: number[];
  key: string;
  firstBatch: number;
}

/**
 * A source read in row ranges: its batches, and every chunk they need in the order of first need,
 * each read once and kept until the last batch that needs it (`uses` counts the batches).
 */
export interface RangePlan {
  plan: SourcePlan;
  grid: BatchGrid;
  variables: VariableReads[];
  reads: ChunkRead[];
  uses: Map<string, number>;
}

const chunkKey = (variable: number, coords: readonly number[]) => `${variable}:${coords.join(",")}`;
const product = (sizes: readonly number[]) => sizes.reduce((a, b) => a * b, 1);

/** What a batch takes of one of a variable's axes. */
function axisPlanOf(variable: VariableReads, j: number, grid: BatchGrid, batch: GridBatch): AxisPlan {
  const axis = variable.outAxes[j];
  if (axis < 0) return variable.whole[j];
  if (axis === grid.axis) return variable.byRange![batch.range];
  if (axis > grid.axis) return variable.whole[j];
  const [at] = batch.bounds[axis];
  return planAxis(variable.picks[j].subarray(at, at + 1), variable.array.chunks[j]);
}

/** Where along an axis some variable's next chunk starts, over all the variables having the axis. */
function blockStarts(variables: readonly Pick<VariableReads, "array" | "outAxes" | "picks">[], axis: number, size: number): number[] {
  const starts = new Set([0]);
  for (const v of variables) {
    const j = v.outAxes.indexOf(axis);
    if (j < 0) continue;
    const [picks, chunk] = [v.picks[j], v.array.chunks[j]];
    for (let p = 1; p < size; p++) if (Math.floor(picks[p] / chunk) !== Math.floor(picks[p - 1] / chunk)) starts.add(p);
  }
  return [...starts].sort((a, b) => a - b);
}

/** Plan a source's batches of at most `batchRows` rows and the chunk reads they need. */
export function planRanges(opened: OpenedTree, plan: SourcePlan, dims: readonly string[], arrays: readonly ZarrArray[], batchRows: number): RangePlan {
  const sizes = plan.labels.map((l) => l.length);
  const partial = plan.specs.map((spec, i) => {
    const { variable } = spec;
    const outAxes = variable.dims.map((d) => (spans(spec, d) ? dims.indexOf(d) : -1));
    const picks = variable.dims.map((dim, j) => {
      const position = new Map(labelsOf(opened, variable.group, dim).map((l, at) => [l, at]));
      return Int32Array.from(outAxes[j] < 0 ? spec.selections.get(dim)! : plan.labels[outAxes[j]], (l) => position.get(l)!);
    });
    const whole = picks.map((p, j) => planAxis(p, arrays[i].chunks[j]));
    const direct = outAxes.length === dims.length && outAxes.every((a, j) => a === j);
    return { array: arrays[i], outAxes, picks, whole, direct };
  });
  const grid = batchGrid(sizes, (axis) => blockStarts(partial, axis, sizes[axis]), batchRows);
  const variables = partial.map((v): VariableReads => {
    const j = v.outAxes.indexOf(grid.axis);
    const byRange = j < 0 ? undefined : grid.ranges.map(([lo, hi]) => planAxis(v.picks[j].subarray(lo, hi), v.array.chunks[j]));
    return { ...v, byRange };
  });
  const reads: ChunkRead[] = [];
  const uses = new Map<string, number>();
  for (const batch of gridBatches(grid)) {
    variables.forEach((v, variable) => {
      for (const coords of selectionChunks({ axes: v.outAxes.map((_, j) => axisPlanOf(v, j, grid, batch)) })) {
        const key = chunkKey(variable, coords);
        const count = uses.get(key) ?? 0;
        if (count === 0) reads.push({ variable, coords, key, firstBatch: batch.index });
        uses.set(key, count + 1);
      }
    });
  }
  return { plan, grid, variables, reads, uses };
}

/**
 * The batches of a source planned by `planRanges`, in output order. Chunks are read `concurrency`
 * ahead, each once, and dropped after the last batch that copies from it.
 */
export async function* rangeBatches(layout: Layout, ranges: RangePlan, sourceIndex: number, read: ReadOptions, concurrency: number): AsyncGenerator<RecordBatch> {
  const { plan, grid, variables, reads } = ranges;
  const uses = new Map(ranges.uses);
  const codes = plan.labels.map((labels, k) => layout.domains[k].encode(labels));
  if (plan.labels.some((l) => l.length === 0)) {
    yield batchOf(
      layout,
      sourceIndex,
      0,
      layout.domains.map((d) => d.allocate(0)),
      layout.valueTypes.map(noValues),
    );
    return;
  }
  // Consecutive batches mostly share their dimension columns (the axes after the grid's are whole).
  const lastDims = new Map<number, { key: string; column: NumericData }>();
  const dimColumn = (axis: number, bounds: readonly [number, number][], sizes: readonly number[], length: number): NumericData => {
    const [lo, hi] = bounds[axis];
    const inner = product(sizes.slice(axis + 1));
    const key = `${lo},${hi},${inner},${length}`;
    const last = lastDims.get(axis);
    if (last?.key === key) return last.column;
    const column = layout.domains[axis].allocate(length);
    repeatAxis(column, codes[axis].subarray(lo, hi), inner, length / (inner * (hi - lo)));
    lastDims.set(axis, { key, column });
    return column;
  };
  const cache = new Map<string, DecodedChunk>();
  const take = (key: string): DecodedChunk => {
    const chunk = cache.get(key)!;
    const left = uses.get(key)! - 1;
    uses.set(key, left);
    if (left === 0) cache.delete(key);
    return chunk;
  };
  const valuesOf = (v: VariableReads, variable: number, batch: GridBatch, sizes: readonly number[], length: number): ColumnData => {
    const axes = v.outAxes.map((_, j) => axisPlanOf(v, j, grid, batch));
    const shape = axes.map((a) => a.length);
    const strides = cStrides(shape);
    let picked: ColumnData | undefined;
    for (const coords of selectionChunks({ axes })) {
      const chunk = take(chunkKey(variable, coords));
      picked ??= allocateLike(chunk.values, product(shape));
      scatter(
        picked,
        strides,
        chunk,
        coords.map((c, j) => axes[j].parts.get(c)!),
      );
    }
    if (v.direct) return picked!;
    // Broadcast over the output axes the variable lacks, in the output's axis order.
    const offsets = sizes.map((n, axis) => {
      const j = v.outAxes.indexOf(axis);
      const out = new Uint32Array(n);
      if (j >= 0) for (let p = 0; p < n; p++) out[p] = p * strides[j];
      return out;
    });
    return gather(picked!, offsets, length);
  };
  const chunks = readAhead(reads, concurrency, (r) => readChunk(variables[r.variable].array, r.coords, read));
  let next = 0;
  try {
    for (const batch of gridBatches(grid)) {
      read.signal?.throwIfAborted();
      for (; next < reads.length && reads[next].firstBatch <= batch.index; next++) {
        const result = await chunks.next();
        cache.set(reads[next].key, result.value as DecodedChunk);
      }
      const sizes = batch.bounds.map(([lo, hi]) => hi - lo);
      const length = product(sizes);
      const dimColumns = sizes.map((_, axis) => dimColumn(axis, batch.bounds, sizes, length));
      const values = variables.map((v, variable) => valuesOf(v, variable, batch, sizes, length));
      yield batchOf(layout, sourceIndex, length, dimColumns, values);
    }
  } finally {
    await chunks.return(undefined);
  }
}
