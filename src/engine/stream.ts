import type { RecordBatch, Schema } from "apache-arrow";
import { alignedChunkCount, chunkAligned, chunkBatches } from "./chunk-batches.ts";
import { DrawscopeError } from "./errors.ts";
import { ProgressCounter, type ExtractProgress } from "./progress.ts";
import { planQuery, planRows, type QueryPlan } from "./query-plan.ts";
import { planRanges, rangeBatches, type RangePlan } from "./range-batches.ts";
import type { ReadOptions, ZarrArray } from "./read.ts";
import type { OpenedTree } from "./tree.ts";
import { dropKeptDraws } from "./draw-buffers.ts";

export interface StreamOptions {
  /** Groups to read specs without a group prefix from; several stack with a `source` column. */
  groups?: readonly string[];
  signal?: AbortSignal;
  /** Called as chunks are read: arrays and chunks done of the query's total, bytes read. */
  onProgress?: (progress: ExtractProgress) => void;
  /**
   * Most rows in a batch that gathers several chunks (selections, joins); 4,194,304 unless set.
   * A batch of one whole chunk (a query that reads whole arrays alike) has that chunk's rows.
   */
  batchRows?: number;
}

/**
 * A query's tidy table as record batches, read as they are iterated: its schema and row count are
 * known before anything is read, and memory holds a few chunks and batches whatever its size.
 */
export interface DrawBatches extends AsyncIterable<RecordBatch> {
  readonly schema: Schema;
  readonly numRows: number;
}

const DEFAULT_BATCH_ROWS = 1 << 22;

/** Chunks in flight at once: enough to keep every decode worker busy while others are read. */
const readConcurrency = (read: ReadOptions) => Math.max(8, 2 * (read.pool?.size ?? 0));

/** How one source is read: whole chunks as batches, or row ranges gathered from the chunks they overlap. */
type SourceReads = { arrays: ZarrArray[]; ranges?: RangePlan };

/** Stream a planned query (see `streamDraws`). */
export function streamPlan(opened: OpenedTree, plan: QueryPlan, options: StreamOptions = {}): DrawBatches {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!(Number.isInteger(batchRows) && batchRows >= 1)) throw new DrawscopeError(`batchRows must be a whole number of rows, at least 1, not ${batchRows}`);
  const { dims, layout } = plan;
  // Before reading anything: per source, what it reads, so progress knows the total.
  const sources: SourceReads[] = plan.sources.map((source) => {
    const arrays = source.specs.map((s) => opened.arrays.get(`${s.variable.group}/${s.variable.name}`)!);
    return chunkAligned(source, arrays) ? { arrays } : { arrays, ranges: planRanges(opened, source, dims, arrays, batchRows) };
  });
  const chunkReads = sources.flatMap(({ arrays, ranges }): (readonly [ZarrArray, number])[] =>
    ranges ? ranges.reads.map((r) => [arrays[r.variable], 1] as const) : arrays.map((a) => [a, alignedChunkCount(a)] as const),
  );
  async function* batches(): AsyncGenerator<RecordBatch> {
    // The table (or an expression's column) is budgeted alone: blocks' buffers kept from an earlier computation go.
    dropKeptDraws();
    const progress = options.onProgress && new ProgressCounter(chunkReads, options.onProgress);
    // Chunks are fetched on this thread, which holds the table: fetched by the pool's workers
    // (opened.remote), each worker keeps its own fetch garbage, 0.2 GB more for a 40M-row table.
    const read: ReadOptions = { signal: options.signal, pool: opened.pool, progress };
    const concurrency = readConcurrency(read);
    for (const [sourceIndex, { arrays, ranges }] of sources.entries()) {
      if (ranges) yield* rangeBatches(layout, ranges, sourceIndex, read, concurrency);
      else yield* chunkBatches(layout, plan.sources[sourceIndex], sourceIndex, dims, arrays, read, concurrency);
    }
  }
  return { schema: layout.schema, numRows: planRows(plan), [Symbol.asyncIterator]: batches };
}

/**
 * Extract a query (`beta[groups], sigma`, or several such strings) as a stream of record batches
 * with the columns and rows of `extract`'s table: `[source,] chain, draw, dims..., values...`.
 * A bad query throws before anything is read.
 */
export function streamDraws(opened: OpenedTree, queries: string | readonly string[], options: StreamOptions = {}): DrawBatches {
  return streamPlan(opened, planQuery(opened, queries, options.groups), options);
}
