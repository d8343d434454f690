import { diagnosticTargets } from "./diagnose.ts";
import type { Label } from "./domain.ts";
import { blockBuffers, elementLabels, targetBlocks } from "./element-blocks.ts";
import { mapLimit } from "./limit.ts";
import { planQuery } from "./query-plan.ts";
import { summarizeBlock, summaryWidth } from "./stats/summary-block.ts";
import type { SummaryOptions } from "./stats/summary.ts";
import { planShape, type TableShape } from "./table-shape.ts";
import type { OpenedTree } from "./tree.ts";

/** Consecutive elements of a value column with all their draws: element i's are draws[i·perElement, (i+1)·perElement). */
export interface ElementDraws {
  /** The dimensions elements are labelled by (the source first when groups are stacked), and each element's label along each. */
  dims: string[];
  labels: Label[][];
  count: number;
  perElement: number;
  draws: Float64Array;
}

/** A query too big to hold, as its elements: the table's shape, and each value column's elements block by block. */
export interface ElementSource {
  shape: TableShape;
  /** The value column's elements, one block at a time: a block's draws are valid until the next is asked for. */
  blocks(value: string, signal?: AbortSignal): AsyncIterable<ElementDraws>;
  /** A block's summaries (summaryWidth values per element), computed in jobs spread over the pool's workers. */
  summarize(block: ElementDraws, options: SummaryOptions, signal?: AbortSignal): Promise<Float64Array>;
}

/** Values per summary job sent to a worker: big enough to amortise the message, small enough to spread. */
const JOB_VALUES = 1 << 19;

/**
 * A query's elements read chunk by chunk, for summaries of a query whose table is over the
 * memory budget: each variable's own labels (as the query selects them), its draws a block at a
 * time, memory one block whatever the query's size. Variables are not joined with each other.
 */
export function queryElements(opened: OpenedTree, query: string, groups: readonly string[], memoryBound?: number): ElementSource {
  const shape = planShape(planQuery(opened, query, groups));
  const stacked = shape.columns.some((c) => c.role === "source");
  const pool = opened.pool;
  return {
    shape,
    async summarize({ draws, count, perElement }, options, signal) {
      const width = summaryWidth(options);
      const out = new Float64Array(count * width);
      const perJob = Math.max(1, Math.floor(JOB_VALUES / Math.max(1, perElement)));
      const starts = Array.from({ length: Math.ceil(count / perJob) }, (_, j) => j * perJob);
      await mapLimit(starts, Math.max(2, 2 * (pool?.size ?? 0)), async (from) => {
        signal?.throwIfAborted();
        const to = Math.min(count, from + perJob);
        // A worker gets a copy (the pool makes it: the block's buffer is reused); without workers, yield between jobs so a cancel can arrive.
        const job = { draws: draws.subarray(from * perElement, to * perElement), count: to - from, options };
        const summaries = pool
          ? await pool.summarize(job)
          : await new Promise<Float64Array>((resolve) => setTimeout(() => resolve(summarizeBlock(job))));
        out.set(summaries, from * width);
      });
      return out;
    },
    async *blocks(value, signal) {
      const targets = diagnosticTargets(opened, { kind: "query", query, groups }).filter((t) => t.variable.name === value);
      const buffers = blockBuffers();
      for (const target of targets) {
        for await (const { block, draws, perElement } of targetBlocks(opened, target, { pool: opened.pool, signal, memoryBound, buffers })) {
          const labels = elementLabels(target, block.from, block.from + block.count);
          yield {
            dims: stacked ? ["source", ...target.dims] : target.dims,
            labels: stacked ? [new Array<Label>(block.count).fill(target.variable.group), ...labels] : labels,
            count: block.count,
            perElement,
            draws,
          };
        }
      }
    },
  };
}
