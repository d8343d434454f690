import { diagnosticTargets } from "./diagnose.ts";
import type { Label } from "./domain.ts";
import type { SlabDraws } from "./block-draws.ts";
import { runSlabJobs } from "./slab-jobs.ts";
import { targetDraws } from "./derived-blocks.ts";
import { elementLabels } from "./element-blocks.ts";
import { planQuery } from "./query-plan.ts";
import { summaryWidth } from "./stats/summary-block.ts";
import type { SummaryOptions } from "./stats/summary.ts";
import { planShape, type TableShape } from "./table-shape.ts";
import type { OpenedTree } from "./tree.ts";

/** Consecutive elements of a value column with all their draws, in slabs of consecutive elements (element-blocks.ts). */
export interface ElementDraws {
  /** The dimensions elements are labelled by (the source first when groups are stacked), and each element's label along each. */
  dims: string[];
  labels: Label[][];
  /** The first element's index in its variable's, the element count, and draws per element. */
  from: number;
  count: number;
  perElement: number;
  slabs: SlabDraws[];
}

/** A query too big to hold, as its elements: the table's shape, and each value column's elements block by block. */
export interface ElementSource {
  shape: TableShape;
  /** The value column's elements, one block at a time: a block's draws are valid until the next is asked for. */
  blocks(value: string, signal?: AbortSignal): AsyncIterable<ElementDraws>;
  /** A block's summaries (summaryWidth values per element), computed in jobs spread over the pool's workers. */
  summarize(block: ElementDraws, options: SummaryOptions, signal?: AbortSignal): Promise<Float64Array>;
}

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
    async summarize({ from, count, slabs }, options, signal) {
      const width = summaryWidth(options);
      const out = new Float64Array(count * width);
      await runSlabJobs(
        slabs,
        (slab) => ({ kind: "summarize", block: { draws: slab.draws, count: slab.block.count, options } }),
        { pool, signal },
        (slab, summaries) => out.set(summaries, (slab.block.from - from) * width),
      );
      return out;
    },
    async *blocks(value, signal) {
      const targets = diagnosticTargets(opened, { kind: "query", query, groups }).filter((t) => t.variable.name === value);
      for (const target of targets) {
        for await (const { block, slabs, perElement } of targetDraws(opened, target, { pool: opened.pool, signal, memoryBound })) {
          const labels = elementLabels(target, block.from, block.from + block.count);
          yield {
            dims: stacked ? ["source", ...target.dims] : target.dims,
            labels: stacked ? [new Array<Label>(block.count).fill(target.variable.group), ...labels] : labels,
            from: block.from,
            count: block.count,
            perElement,
            slabs,
          };
        }
      }
    },
  };
}
