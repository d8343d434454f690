import { diagnosticTargets } from "./diagnose.ts";
import type { Label } from "./domain.ts";
import { blockBuffers, elementLabels, targetBlocks } from "./element-blocks.ts";
import { planQuery } from "./query-plan.ts";
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
}

/**
 * A query's elements read chunk by chunk, for summaries of a query whose table is over the
 * memory budget: each variable's own labels (as the query selects them), its draws a block at a
 * time, memory one block whatever the query's size. Variables are not joined with each other.
 */
export function queryElements(opened: OpenedTree, query: string, groups: readonly string[], memoryBound?: number): ElementSource {
  const shape = planShape(planQuery(opened, query, groups));
  const stacked = shape.columns.some((c) => c.role === "source");
  return {
    shape,
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
