import type { Table } from "apache-arrow";
import type { ElementSource } from "../engine/query-elements.ts";
import type { TableColumn } from "../engine/columns.ts";
import type { TableShape } from "../engine/table-shape.ts";

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
  /** All chains ("all", the default), or one of the table's chains by its label. */
  | { key: string; label: string; type: "chain" }
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
  /** True when several models are stacked (a `model` dimension, leading every value's dimensions). */
  model: boolean;
  /** True when rows are draws (chain, draw columns); data groups' variables have one value per label. */
  sampled: boolean;
}

export interface PanelContext {
  /** Width available to the figure, in CSS pixels. */
  width: number;
  /** The query the table came from, for the figure's name. */
  query: string;
  /** The query's table as the page knows it: its columns, levels and row count (the rows stay in the worker). */
  shape: TableShape;
  /** Change one of this panel's options from inside the figure (e.g. a click marks a reference line). */
  setOption?: (key: string, value: OptionValue) => void;
  /** Rows `offset`… of the query's table, read from the worker (for panels that page through rows). */
  rows?: (offset: number, count: number) => Promise<Table>;
}

/** What a panel draws: an element, the figure's accessible name, and a caption with the details. */
export interface PanelFigure {
  name: string;
  caption: string;
  node: Element;
}

/** What every panel kind declares, on the page and in links: its id, title, place and options. */
export interface PanelSpec {
  /** The id used in links, and the name of the panel's folder. */
  kind: string;
  title: string;
  /** Position in the "Add panel" menu. */
  order: number;
  options: readonly OptionSpec[];
  /** Dimension options' defaults for a table, when the first dimension is not the right one. */
  dimDefaults?(table: DimContext): Record<string, string>;
  /** Choice options' defaults for a table whose columns the kind's own default does not suit (a sampler statistic the query lacks). */
  choiceDefaults?(columns: readonly TableColumn[]): Record<string, string>;
  /** Options that only change the drawing (a fill, a reference line): changing one redraws without asking the worker. */
  drawOnly?: readonly string[];
  /** True when the kind's data also comes from a query's elements read chunk by chunk (PanelData.streamed), for queries over the memory budget. */
  streams?: boolean;
  /** The label of the table the panel derives (e.g. "Contrast draws"), offered for export beside the query's. */
  derived?: string;
}

/**
 * A kind of panel on the page. `render` draws what the panel's `data()` computed in the worker;
 * it only lays out and draws, so a resize redraws without recomputing.
 */
export interface PanelKind<D = unknown> extends PanelSpec {
  render(data: D, options: PanelOptions, context: PanelContext): PanelFigure;
}

/**
 * A panel kind's computation, run in the worker next to the table: `data` is a pure function of
 * the tidy table and the resolved options (every option present and valid for this table), and
 * gives what `render` draws — structured-clonable (typed arrays, plain objects), never the rows.
 */
export interface PanelData<D = unknown> {
  data(table: Table, options: PanelOptions): D;
  /** The derived table offered for export (see PanelSpec.derived), made in the worker on demand. */
  derived?(table: Table, options: PanelOptions): Table;
  /**
   * The same data from the query's elements read chunk by chunk, for a query whose table is over
   * the memory budget (its kind says `streams`): memory holds one block of elements' draws.
   */
  streamed?(elements: ElementSource, options: PanelOptions, signal: AbortSignal): Promise<D>;
}

export type { ElementDraws, ElementSource } from "../engine/query-elements.ts";
