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
 * Each row's combination of labels over some label columns, as one number (first column
 * outermost): `count` combinations in all. Keys come batch by batch, without row objects.
 */
export class RowKeys {
  readonly coders: LabelCoder[];
  readonly sizes: number[];
  readonly count: number;
  readonly #strides: number[];
  readonly #lengths: number[];
  readonly #scratch: Int32Array;
  readonly #keys: Int32Array;
  #positions?: Map<string | number, number>[];

  constructor(table: Table, by: readonly string[]) {
    this.coders = by.map((name) => new LabelCoder(table, name));
    this.sizes = this.coders.map((c) => c.labels.length);
    this.count = this.sizes.reduce((a, b) => a * b, 1);
    this.#strides = this.sizes.map((_, k) => this.sizes.slice(k + 1).reduce((a, b) => a * b, 1));
    this.#lengths = table.batches.map((b) => b.numRows);
    const longest = Math.max(0, ...this.#lengths);
    this.#scratch = new Int32Array(longest);
    this.#keys = new Int32Array(longest);
  }

  /** The keys of batch `b`'s rows (valid until the next call). */
  batch(b: number): Int32Array {
    const n = this.#lengths[b];
    if (this.coders.length === 1) return this.coders[0].codeBatch(b, this.#keys);
    const keys = this.#keys.fill(0, 0, n);
    this.coders.forEach((coder, k) => {
      const codes = coder.codeBatch(b, this.#scratch);
      const size = this.sizes[k];
      for (let i = 0; i < n; i++) keys[i] = keys[i] * size + codes[i];
    });
    return keys.subarray(0, n);
  }

  /** The code (index into `coders[k].labels`) of column k in a key. */
  codeOf(key: number, k: number): number {
    return Math.floor(key / this.#strides[k]) % this.sizes[k];
  }

  labelsOf(key: number): (string | number)[] {
    return this.coders.map((c, k) => c.labels[this.codeOf(key, k)]);
  }

  /** The key of a combination of labels (each must be one of its column's labels). */
  keyOf(labels: readonly (string | number)[]): number {
    this.#positions ??= this.coders.map((c) => new Map(c.labels.map((l, i) => [l, i])));
    const positions = this.#positions;
    return labels.reduce<number>((key, label, k) => key * this.sizes[k] + positions[k].get(label)!, 0);
  }
}

/**
 * Split the number column `value` by the label columns `by`: a counting sort, batch by batch,
 * so no column is ever copied whole. Only the first `limit` groups are gathered; `total` still
 * counts them all.
 */
export function splitByLabels(table: Table, value: string, by: readonly string[], limit = Infinity): RowGroups {
  const keys = new RowKeys(table, by);
  const batches = numberBatches(table, value);
  const counts = new Int32Array(keys.count);
  for (let b = 0; b < batches.length; b++) {
    const batchKeys = keys.batch(b);
    for (let i = 0; i < batchKeys.length; i++) counts[batchKeys[i]]++;
  }
  let kept = 0;
  const buckets = Array.from(counts, (c) => (c > 0 && kept++ < limit ? new Float64Array(c) : null));
  // A key beyond the limit has no bucket: its rows are skipped.
  const filled = new Int32Array(keys.count);
  for (let b = 0; b < batches.length; b++) {
    const batchKeys = keys.batch(b);
    const values = batches[b];
    for (let i = 0; i < batchKeys.length; i++) {
      const key = batchKeys[i];
      const bucket = buckets[key];
      if (bucket !== null) bucket[filled[key]++] = values[i];
    }
  }

  const groups: RowGroups["groups"] = [];
  buckets.forEach((bucket, key) => {
    if (bucket) groups.push({ keys: keys.labelsOf(key), values: bucket });
  });
  return { groups, labels: keys.coders.map((c) => c.labels), total: counts.reduce((a, c) => a + (c > 0 ? 1 : 0), 0) };
}
