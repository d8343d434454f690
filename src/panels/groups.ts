import type { Table } from "apache-arrow";
import { labelCodes, type NumberColumn } from "../engine/columns.ts";

/** Rows of a table split by the labels of up to two columns (without building row objects). */
export interface RowGroups {
  /** One entry per non-empty combination, in label order (first column outer). */
  groups: { keys: (string | number)[]; values: Float64Array }[];
  /** Distinct labels per grouping column. */
  labels: (string | number)[][];
  /** Non-empty combinations, including those beyond the limit. */
  total: number;
}

/**
 * Split `values` by the label columns `by` (a counting sort: two passes over the rows). Only the
 * first `limit` groups are gathered; `total` still counts them all.
 */
export function splitByLabels(table: Table, values: NumberColumn, by: readonly string[], limit = Infinity): RowGroups {
  const coded = by.map((name) => labelCodes(table, name));
  const sizes = coded.map((c) => c.labels.length);
  const keyCount = sizes.reduce((a, b) => a * b, 1);
  const n = values.length;
  const keys = new Int32Array(n);
  for (let k = 0; k < coded.length; k++) {
    const { codes } = coded[k];
    for (let i = 0; i < n; i++) keys[i] = keys[i] * sizes[k] + codes[i];
  }
  const counts = new Int32Array(keyCount);
  for (let i = 0; i < n; i++) counts[keys[i]]++;
  let kept = 0;
  const buckets = Array.from(counts, (c) => (c > 0 && kept++ < limit ? new Float64Array(c) : null));
  const filled = new Int32Array(keyCount);
  for (let i = 0; i < n; i++) {
    const bucket = buckets[keys[i]];
    if (bucket) bucket[filled[keys[i]]++] = values[i];
  }
  const groups: RowGroups["groups"] = [];
  for (let key = 0; key < keyCount; key++) {
    const bucket = buckets[key];
    if (!bucket) continue;
    const labels: (string | number)[] = [];
    let rest = key;
    for (let k = coded.length - 1; k >= 0; k--) {
      labels.unshift(coded[k].labels[rest % sizes[k]]);
      rest = Math.floor(rest / sizes[k]);
    }
    groups.push({ keys: labels, values: bucket });
  }
  return { groups, labels: coded.map((c) => c.labels), total: counts.reduce((a, c) => a + (c > 0 ? 1 : 0), 0) };
}
