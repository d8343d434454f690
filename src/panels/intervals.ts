import type { Table } from "apache-arrow";
import { tableColumns } from "../engine/columns.ts";
import type { IntervalKind, PointKind } from "../engine/stats/summary.ts";
import type { OptionSpec, OptionValue } from "./types.ts";

/*
 * What the interval, quantile-dot and prior-vs-posterior panels share in the worker and on the
 * page: their options, which columns rows are split by, their labels, order and number formats.
 * Drawing them is row-chart.ts.
 */

/** Options the summary panels declare alike, so their links read alike. */
export const POINT_OPTION: OptionSpec = {
  key: "point",
  label: "Point",
  type: "choice",
  choices: [
    { value: "median", label: "median" },
    { value: "mean", label: "mean" },
    { value: "mode", label: "mode" },
  ],
  default: "median",
};
export const INTERVAL_OPTION: OptionSpec = {
  key: "interval",
  label: "Interval",
  type: "choice",
  choices: [
    { value: "eti", label: "equal-tailed (ETI)" },
    { value: "hdi", label: "highest density (HDI)" },
  ],
  default: "eti",
};
export const INNER_OPTION: OptionSpec = { key: "inner", label: "Inner prob.", type: "number", min: 0.01, max: 1, step: 0.01, default: 0.5 };
export const OUTER_OPTION: OptionSpec = { key: "outer", label: "Outer prob.", type: "number", min: 0.01, max: 1, step: 0.01, default: 0.89 };
export const SORT_OPTION: OptionSpec = {
  key: "sort",
  label: "Sort",
  type: "choice",
  choices: [
    { value: "label", label: "label order" },
    { value: "ascending", label: "by value, ascending" },
    { value: "descending", label: "by value, descending" },
  ],
  default: "label",
};
export const REFERENCE_OPTION: OptionSpec = { key: "ref", label: "Reference", type: "reference", default: "" };
/** The choice of a `dim` option that means "split by the value's own dimensions". */
export const OWN_DIMS = "its own dims";

export type RowOrder = "label" | "ascending" | "descending";

export const pointKind = (option: OptionValue): PointKind => (option === "mean" || option === "mode" ? option : "median");
export const intervalKind = (option: OptionValue): IntervalKind => (option === "hdi" ? "hdi" : "eti");
export const rowOrder = (option: OptionValue): RowOrder => (option === "ascending" || option === "descending" ? option : "label");

/** The interval probabilities of an inner and an outer option: ascending, without repeats. */
export function probsOf(inner: OptionValue, outer: OptionValue): number[] {
  return [...new Set([Number(inner), Number(outer)])].sort((a, b) => a - b);
}

/** A reference option as a number, or undefined for none. */
export function referenceOf(option: OptionValue): number | undefined {
  const text = String(option).trim();
  const value = Number(text);
  return text !== "" && Number.isFinite(value) ? value : undefined;
}

/**
 * The columns rows are split by. A chosen dimension alone; "" stands for the value's own
 * dimensions (none for data without draws, as the density panel does), with the source when
 * groups are stacked and `withSource` says the source is not shown another way.
 */
export function rowColumns(table: Table, value: string, rows: string, withSource: boolean): string[] {
  if (rows !== "") return [rows];
  const columns = tableColumns(table);
  const sampled = columns.some((c) => c.role === "sample");
  const dims = new Set(columns.filter((c) => c.role === "dim").map((c) => c.name));
  const own = sampled ? (columns.find((c) => c.name === value)?.dims.filter((d) => dims.has(d)) ?? []) : [];
  const source = columns.find((c) => c.role === "source");
  return withSource && source ? [...own, source.name] : own;
}

/** The caption's word on a summary panel drawn from a query too big to hold: where its rows came from. */
export const streamedNote = (value: string, by: readonly string[]): string =>
  `Summarised element by element from the chunks as they were read: the query's table is over the memory budget, so rows are the elements of ${value}${by.length ? ` (${by.join(" × ")})` : ""}.`;

export const rowLabel = (keys: readonly (string | number)[], fallback: string): string => (keys.length ? keys.map(String).join(" · ") : fallback);

/** Row indices in the order asked for: label order as given, or by value (NaN last), ties in label order. */
export function sortRows(values: ArrayLike<number>, order: RowOrder): number[] {
  const index = Array.from({ length: values.length }, (_, i) => i);
  if (order === "label") return index;
  const sign = order === "ascending" ? 1 : -1;
  return index.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    if (Number.isNaN(va) || Number.isNaN(vb)) return Number(Number.isNaN(va)) - Number(Number.isNaN(vb)) || a - b;
    return sign * (va - vb) || a - b;
  });
}

/** A value at 3 significant digits, as labels show it. */
export const formatValue = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));

/** 0.89 → "89%", 0.955 → "95.5%". */
export const formatProb = (p: number): string => `${Number((p * 100).toFixed(2))}%`;

export const INTERVAL_NAMES: Record<IntervalKind, string> = { eti: "ETI", hdi: "HDI" };

/** "50% and 89% ETI". */
export function intervalsPhrase(probs: readonly number[], kind: IntervalKind): string {
  const ps = probs.map(formatProb);
  return `${ps.length > 1 ? `${ps.slice(0, -1).join(", ")} and ${ps[ps.length - 1]}` : ps[0]} ${INTERVAL_NAMES[kind]}`;
}

/** The extent of finite numbers in several arrays (and extra values), or undefined when there are none. */
export function extentOf(arrays: readonly ArrayLike<number>[], extra: readonly number[] = []): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [...arrays, extra]) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v === 0) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}
