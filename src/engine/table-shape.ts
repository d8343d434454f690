import type { Table } from "apache-arrow";
import { LabelCoder, schemaColumns, tableColumns, type TableColumn } from "./columns.ts";
import type { Label } from "./domain.ts";
import { planRows, type QueryPlan } from "./query-plan.ts";

/**
 * A tidy table as the page knows it while the rows stay in the worker: its columns with their
 * roles, the levels of each dimension and source column and of its chains (for option menus), and
 * its row count.
 */
export interface TableShape {
  numRows: number;
  columns: TableColumn[];
  /** Per dimension or source column, and `chain`, its labels as text, in the table's label order. */
  levels: Record<string, string[]>;
}

/**
 * The shape a planned query's table has, known before anything is read: what the page gets for
 * a query (the table stays in the worker), and for one too big to hold, whose per-element
 * summaries are computed chunk by chunk. Levels are ordered as a table's are (dictionary order,
 * or ascending numbers).
 */
export function planShape(plan: QueryPlan): TableShape {
  const levels: Record<string, string[]> = {};
  plan.layout.domains.forEach((domain, k) => {
    const name = plan.dims[k];
    if (domain.dictionary) {
      levels[name] = (domain.dictionary.toArray() as Label[]).map(String);
      return;
    }
    const present = new Set(plan.sources.flatMap((s) => s.labels[k]));
    levels[name] = [...present].sort((a, b) => Number(a) - Number(b)).map(String);
  });
  const columns = schemaColumns(plan.layout.schema);
  // Chains are offered by panels' Chains option; draws are too many to list.
  for (const c of columns) if (c.role === "sample" && c.name !== "chain") delete levels[c.name];
  if (plan.layout.source) levels.source = plan.sources.map((s) => s.group);
  return { numRows: planRows(plan), columns, levels };
}

/**
 * A table's shape read off its rows, for a table made after the query was planned (several
 * models' tables stacked): its label columns' levels in the table's order.
 */
export function tableShape(table: Table): TableShape {
  const columns = tableColumns(table);
  const levels: Record<string, string[]> = {};
  for (const c of columns) {
    if (c.role === "dim" || c.role === "source" || c.name === "chain") levels[c.name] = new LabelCoder(table, c.name).labels.map(String);
  }
  return { numRows: table.numRows, columns, levels };
}
