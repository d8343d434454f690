import { Table, type RecordBatch } from "apache-arrow";
import { selectionSpec } from "./spec-text.ts";
import { BudgetError } from "./errors.ts";
import { planQuery, planRows, type QueryPlan } from "./query-plan.ts";
import { streamPlan, type StreamOptions } from "./stream.ts";
import { planShape, type TableShape } from "./table-shape.ts";
import { bytesPerRow, describeSize } from "./table-size.ts";
import type { OpenedTree } from "./tree.ts";
import { megabytes } from "./units.ts";

export interface ExtractOptions extends Omit<StreamOptions, "batchRows"> {
  /** Bytes the table may take; a query over it is refused before anything is read. */
  budget?: number;
  /** Called with the table's bytes and shape once the query is planned and within the budget, before anything is read or allocated. */
  onPlanned?: (planned: { bytes: number; shape: TableShape }) => void;
}

/** The bytes a planned query's table takes. */
export function planBytes(plan: QueryPlan): number {
  return planRows(plan) * plan.layout.schema.fields.reduce((b, f) => b + bytesPerRow(f.type), 0);
}

/** Refuse a query whose table would take more than `budget` bytes, saying how to narrow it. */
function checkBudget(plan: QueryPlan, budget: number): void {
  const { query, layout, sources } = plan;
  const rows = planRows(plan);
  const rowBytes = layout.schema.fields.reduce((b, f) => b + bytesPerRow(f.type), 0);
  if (rows * rowBytes <= budget) return;
  // An example selection: two labels of the first non-sample dimension that has more.
  const [first] = sources;
  const labelsInPlan = (dim: string) => first.labels[layout.domains.findIndex((d) => d.name === dim)];
  const example = first.specs.flatMap(({ variable, dims }) => {
    const dim = dims.find((d) => labelsInPlan(d).length > 2);
    const name = variable.group === first.group ? variable.name : `${variable.group}/${variable.name}`;
    return dim ? [selectionSpec(name, [dim], [labelsInPlan(dim).slice(0, 2)])] : [];
  })[0];
  throw new BudgetError(
    `${query} would make a table of ${describeSize(rows, rowBytes)}, over the memory budget of ${megabytes(budget)}. ` +
      `Narrow it: pick labels${example ? ` (e.g. ${example})` : ""} or fewer specs, or raise the budget.`,
  );
}

/**
 * Extract a query (`beta[groups], sigma`, or several such strings) into one tidy Arrow table:
 * `[source,] chain, draw, dims..., values...`. Variables are inner-joined on shared dimensions
 * and broadcast over the ones they lack. The table is the batches of `streamDraws`, collected.
 */
export async function joinDraws(opened: OpenedTree, queries: string | readonly string[], options: ExtractOptions = {}): Promise<Table> {
  const plan = planQuery(opened, queries, options.groups);
  if (options.budget !== undefined) checkBudget(plan, options.budget);
  options.onPlanned?.({ bytes: planBytes(plan), shape: planShape(plan) });
  const stream = streamPlan(opened, plan, options);
  const batches: RecordBatch[] = [];
  for await (const batch of stream) batches.push(batch);
  return new Table(stream.schema, batches);
}
