import type { Table } from "apache-arrow";
import { LabelCoder, tableColumns, type TableColumn } from "./columns.ts";

/**
 * A tidy table as the page knows it while the rows stay in the worker: its columns with their
 * roles, the levels of each dimension and source column (for option menus), and its row count.
 */
export interface TableShape {
  numRows: number;
  columns: TableColumn[];
  /** Per dimension or source column, its labels as text, in the table's label order. */
  levels: Record<string, string[]>;
}

export function tableShape(table: Table): TableShape {
  const columns = tableColumns(table);
  const levels: Record<string, string[]> = {};
  for (const c of columns) {
    if (c.role === "dim" || c.role === "source") levels[c.name] = new LabelCoder(table, c.name).labels.map(String);
  }
  return { numRows: table.numRows, columns, levels };
}
