import type { Table } from "apache-arrow";
import { LabelCoder, tableColumns } from "../src/engine/columns.ts";
import type { TableShape } from "../src/engine/table-shape.ts";

/**
 * A table's shape read off its rows: what the worker sends the page for it (from the query's
 * plan), so tests resolve panel options against tables, and check the plan's shape against it.
 */
export function tableShape(table: Table): TableShape {
  const columns = tableColumns(table);
  const levels: Record<string, string[]> = {};
  for (const c of columns) {
    if (c.role === "dim" || c.role === "source") levels[c.name] = new LabelCoder(table, c.name).labels.map(String);
  }
  return { numRows: table.numRows, columns, levels };
}
