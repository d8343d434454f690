import type { Table } from "apache-arrow";

export type OptionValue = string | number | boolean;
export type PanelOptions = Record<string, OptionValue>;

/** One user-settable option of a panel kind: how it is chosen, encoded in links, and defaulted. */
export type OptionSpec =
  /** A number value column of the table (defaults to the first). */
  | { key: string; label: string; type: "value" }
  /** A dimension or source column, or "" for none when `none` names that choice. */
  | { key: string; label: string; type: "dim"; none?: string }
  /** Any column but chain and draw: values, dims, the source, booleans; "" for none when `none` names it. */
  | { key: string; label: string; type: "column"; none?: string }
  /** A level (as text) of the dimension chosen in option `of`, e.g. a contrast's reference; the first level by default. */
  | { key: string; label: string; type: "level"; of: string; none?: string }
  /** An optional reference value: a number typed by the user, or "" for none. */
  | { key: string; label: string; type: "reference"; default: string }
  | { key: string; label: string; type: "choice"; choices: readonly { value: string; label: string }[]; default: string }
  | { key: string; label: string; type: "number"; min: number; max: number; step: number; default: number }
  | { key: string; label: string; type: "boolean"; default: boolean };

/** What dimension defaults are chosen from: the table's dims, and those of the chosen value. */
export interface DimContext {
  dims: readonly string[];
  /** The dimensions the first value option's column varies over (sigma: none; beta: groups). */
  valueDims: readonly string[];
  /** True when groups are stacked (a `source` column). */
  source: boolean;
  /** True when rows are draws (chain, draw columns); data groups' variables have one value per label. */
  sampled: boolean;
}

export interface PanelContext {
  /** Width available to the figure, in CSS pixels. */
  width: number;
  /** The query the table came from, for the figure's name. */
  query: string;
  /** Change one of this panel's options from inside the figure (e.g. a click marks a reference line). */
  setOption?: (key: string, value: OptionValue) => void;
}

/** What a panel draws: an element, the figure's accessible name, and a caption with the details. */
export interface PanelFigure {
  name: string;
  caption: string;
  node: Element;
  /** A table the panel derived (e.g. contrast draws), offered for export beside the query's table. */
  data?: { label: string; table: Table };
}

/**
 * A kind of panel. `render` is a pure function of the tidy table and the resolved options
 * (every option present and valid for this table).
 */
export interface PanelKind {
  /** The id used in links. */
  kind: string;
  title: string;
  /** Position in the "Add panel" menu. */
  order: number;
  options: readonly OptionSpec[];
  /** Dimension options' defaults for a table, when the first dimension is not the right one. */
  dimDefaults?(table: DimContext): Record<string, string>;
  render(table: Table, options: PanelOptions, context: PanelContext): PanelFigure;
}
