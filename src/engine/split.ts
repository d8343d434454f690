import type { Table } from "apache-arrow";
import { LabelCoder, numberBatches } from "./columns.ts";

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
 * Split the number column `value` by the label columns `by`: a counting sort, batch by batch,
 * so no column is ever copied whole. Only the first `limit` groups are gathered; `total` still
 * counts them all.
 */
export function splitByLabels(table: Table, value: string, by: readonly string[], limit = Infinity): RowGroups {
  const coders = by.map((name) => new LabelCoder(table, name));
  const sizes = coders.map((c) => c.labels.length);
  const keyCount = sizes.reduce((a, b) => a * b, 1);
  const batches = numberBatches(table, value);
  const longest = batches.reduce((a, b) => Math.max(a, b.length), 0);
  const scratch = coders.map(() => new Int32Array(longest));
  const keys = new Int32Array(longest);
  // Each row's key combines its codes, first column outermost.
  const keysOf = (b: number): Int32Array => {
    const n = batches[b].length;
    if (coders.length === 0) return keys.fill(0, 0, n).subarray(0, n);
    if (coders.length === 1) return coders[0].codeBatch(b, scratch[0]);
    keys.fill(0, 0, n);
    coders.forEach((coder, k) => {
      const codes = coder.codeBatch(b, scratch[k]);
      const size = sizes[k];
      for (let i = 0; i < n; i++) keys[i] = keys[i] * size + codes[i];
    });
    return keys.subarray(0, n);
  };

  const counts = new Int32Array(keyCount);
  for (let b = 0; b < batches.length; b++) {
    const batchKeys = keysOf(b);
    for (let i = 0; i < batchKeys.length; i++) counts[batchKeys[i]]++;
  }
  let kept = 0;
  const buckets = Array.from(counts, (c) => (c > 0 && kept++ < limit ? new Float64Array(c) : null));
  // A key beyond the limit has no bucket: its rows are skipped.
  const filled = new Int32Array(keyCount);
  for (let b = 0; b < batches.length; b++) {
    const batchKeys = keysOf(b);
    const values = batches[b];
    for (let i = 0; i < batchKeys.length; i++) {
      const key = batchKeys[i];
      const bucket = buckets[key];
      if (bucket !== null) bucket[filled[key]++] = values[i];
    }
  }

  const groups: RowGroups["groups"] = [];
  for (let key = 0; key < keyCount; key++) {
    const bucket = buckets[key];
    if (!bucket) continue;
    const labels: (string | number)[] = [];
    let rest = key;
    for (let k = coders.length - 1; k >= 0; k--) {
      labels.unshift(coders[k].labels[rest % sizes[k]]);
      rest = Math.floor(rest / sizes[k]);
    }
    groups.push({ keys: labels, values: bucket });
  }
  return { groups, labels: coders.map((c) => c.labels), total: counts.reduce((a, c) => a + (c > 0 ? 1 : 0), 0) };
}
