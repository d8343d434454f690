import type { RecordBatch } from "apache-arrow";
import { batchOf } from "./batch-build.ts";
import { allocateLike, type NumericData } from "./column-data.ts";
import type { Layout, SourcePlan } from "./query-plan.ts";
import { readAhead } from "./read-ahead.ts";
import { chunkCoords, chunkGrid, chunkRegion, copyChunkInto, cStrides, readChunk, type ReadOptions, type ZarrArray } from "./read.ts";
import { repeatAxis } from "./repeat.ts";

/**
 * True when every spec reads the whole of an array of the same group with the same dimensions,
 * shape and chunking: then each chunk becomes one record batch, its decoded buffers the columns.
 */
export function chunkAligned(plan: SourcePlan, arrays: readonly ZarrArray[]): boolean {
  const [first] = plan.specs;
  if (plan.specs.some((s) => s.selections.size > 0)) return false;
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return plan.specs.every(
    (s, i) => s.variable.group === first.variable.group && same(s.variable.dims, first.variable.dims) && same(arrays[i].shape, arrays[0].shape) && same(arrays[i].chunks, arrays[0].chunks),
  );
}

/** Chunks an aligned source reads: every chunk of each of its arrays. */
export function alignedChunkCount(array: ZarrArray): number {
  return chunkGrid(array).reduce((a, b) => a * b, 1);
}

/**
 * One batch per chunk of an aligned source, in the chunk grid's C order; `concurrency` chunks
 * are read ahead of the consumer.
 */
export async function* chunkBatches(
  layout: Layout,
  plan: SourcePlan,
  sourceIndex: number,
  dims: readonly string[],
  arrays: readonly ZarrArray[],
  read: ReadOptions,
  concurrency: number,
): AsyncGenerator<RecordBatch> {
  const axes = plan.specs[0].variable.dims;
  const codes = dims.map((_, k) => layout.domains[k].encode(plan.labels[k]));
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
  yield* readAhead(chunkCoords(chunkGrid(arrays[0])), concurrency, async (coords) => {
    const chunks = await Promise.all(arrays.map((a) => readChunk(a, coords, read)));
    const { origin, extent } = chunkRegion(arrays[0], coords);
    const length = extent.reduce((a, b) => a * b, 1);
    const dimColumns = dims.map((_, k) => dimColumn(k, origin, extent));
    const values = chunks.map((chunk, i) => {
      const whole = extent.every((e, k) => e === arrays[i].chunks[k]);
      const cOrder = chunk.stride.every((s, k) => s === chunkStrides[i][k]);
      if (whole && cOrder) return chunk.values;
      const compact = allocateLike(chunk.values, length);
      copyChunkInto(
        compact,
        extent,
        chunk,
        extent.map(() => 0),
        extent,
      );
      return compact;
    });
    return batchOf(layout, sourceIndex, length, dimColumns, values);
  });
}
