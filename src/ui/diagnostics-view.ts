import type { DiagnosticsRows } from "../state/diagnostics-rows.ts";
import { DIAGNOSTIC_NAMES, type DiagnosticName } from "../engine/stats/diagnostics.ts";

/**
 * The diagnostics table's rows as shown: filtered by name, ordered, flagged and cut to a limit.
 * Everything works on typed arrays over the rows' storage positions (row numbers in
 * DiagnosticsRows), never on row objects, so 100,000 rows sort and filter in milliseconds.
 */

/** Why a row is flagged: bits of a row's flag byte. */
export const FLAG_RHAT = 1;
export const FLAG_ESS_BULK = 2;
export const FLAG_ESS_TAIL = 4;

export interface Thresholds {
  /** R-hat above this is flagged. */
  rhat: number;
  /** Bulk or tail ESS below this is flagged. */
  ess: number;
}

/** Each row's flag bits (FLAG_*); NA never flags, as it says nothing either way. */
export function rowFlags(rows: DiagnosticsRows, { rhat, ess }: Thresholds): Uint8Array {
  const r = rows.stat("rhat");
  const bulk = rows.stat("ess_bulk");
  const tail = rows.stat("ess_tail");
  const flags = new Uint8Array(rows.length);
  for (let i = 0; i < flags.length; i++) {
    flags[i] = (r[i] > rhat ? FLAG_RHAT : 0) | (bulk[i] < ess ? FLAG_ESS_BULK : 0) | (tail[i] < ess ? FLAG_ESS_TAIL : 0);
  }
  return flags;
}

export function countFlagged(flags: Uint8Array): number {
  let n = 0;
  for (const f of flags) if (f) n++;
  return n;
}

export interface NameFilter {
  /** Rows whose element matches (1) or not (0); undefined when nothing is filtered. */
  mask?: Uint8Array;
  /** Said beside the box when the text is not a valid regular expression (then it matched as plain text). */
  problem?: string;
}

/**
 * Match element names (`theta[Choate, 2019]`) against a regular expression, case-insensitively;
 * text that is not a valid expression is matched as a plain substring instead.
 */
export function filterByName(rows: DiagnosticsRows, filter: string): NameFilter {
  if (!filter) return {};
  let test: (name: string) => boolean;
  let problem: string | undefined;
  try {
    const pattern = new RegExp(filter, "i");
    test = (name) => pattern.test(name);
  } catch (error) {
    const needle = filter.toLowerCase();
    test = (name) => name.toLowerCase().includes(needle);
    problem = `not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")}): matched as plain text`;
  }
  const mask = new Uint8Array(rows.length);
  for (let i = 0; i < mask.length; i++) mask[i] = test(rows.element(i)) ? 1 : 0;
  return { mask, problem };
}

/** How rows are ordered: the trace's order, by element name, or by a diagnostic. */
export type SortKey = "index" | "element" | DiagnosticName;

/** A name with its digit runs padded, so `mu[9]` sorts before `mu[10]` by plain comparison. */
function naturalKey(name: string): string {
  return name.replace(/\d+/g, (digits) => digits.padStart(12, "0"));
}

/**
 * Row numbers in display order. Ties keep the trace's order; NaN (R's NA) comes last in either
 * direction, since a missing value is neither good nor bad.
 */
export function rowOrder(rows: DiagnosticsRows, sort: SortKey, descending: boolean): Int32Array {
  const index = rows.indices();
  const n = rows.length;
  const order = new Int32Array(n);
  const sign = descending ? -1 : 1;
  if (sort === "index" || sort === "element") {
    for (let i = 0; i < n; i++) order[i] = i;
    if (sort === "index") return order.sort((a, b) => sign * (index[a] - index[b]));
    const keys = Array.from({ length: n }, (_, i) => naturalKey(rows.element(i)));
    return order.sort((a, b) => (keys[a] < keys[b] ? -sign : keys[a] > keys[b] ? sign : index[a] - index[b]));
  }
  const values = rows.stat(sort);
  // Numbers first, NA after them, each part then sorted on its own.
  let numbers = 0;
  let missing = n;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) order[--missing] = i;
    else order[numbers++] = i;
  }
  order.subarray(0, numbers).sort((a, b) => sign * (values[a] - values[b]) || index[a] - index[b]);
  order.subarray(numbers).sort((a, b) => index[a] - index[b]);
  return order;
}

/** The rows to show: `order` kept where the name matches (and, if asked, flagged), then the first `limit` (0: all). */
export function shownRows(order: Int32Array, mask: Uint8Array | undefined, flags: Uint8Array | undefined, limit: number): Int32Array {
  const max = limit > 0 ? limit : order.length;
  if (!mask && !flags) return order.subarray(0, Math.min(max, order.length));
  const out = new Int32Array(Math.min(max, order.length));
  let n = 0;
  for (let k = 0; k < order.length && n < max; k++) {
    const row = order[k];
    if ((!mask || mask[row]) && (!flags || flags[row])) out[n++] = row;
  }
  return out.subarray(0, n);
}

/** Rows between two display positions, both included, in display order (for shift-click). */
export function rowRange(shown: Int32Array, from: number, to: number): number[] {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return Array.from(shown.subarray(Math.max(0, lo), hi + 1));
}

/** Whether the rows come from more than one group (the table then shows a group column). */
export function spansGroups(rows: DiagnosticsRows): boolean {
  for (let i = 1; i < rows.length; i++) if (rows.group(i) !== rows.group(0)) return true;
  return false;
}

const SORT_KEYS: readonly string[] = ["index", "element", ...DIAGNOSTIC_NAMES];

/** Whether a sort named in the view (perhaps by a hand-edited link) is one the table knows. */
export function isSortKey(sort: string): sort is SortKey {
  return SORT_KEYS.includes(sort);
}
