import type { Table } from "apache-arrow";
import { dictionaryData, indexArrayFor, indexTypeFor, stringDictionary } from "../arrow-build.ts";
import { LabelCoder, numberBatches, tableColumns } from "../columns.ts";
import { DrawscopeError } from "../errors.ts";
import { RowKeys } from "../split.ts";
import { buildTable, float64Data, labelData, type BuiltColumn } from "../table-build.ts";

/** Which levels are compared: each against one reference, every pair, or each against the one before. */
export type ContrastMode = "reference" | "pairs" | "previous";

export interface ContrastOptions {
  /** The number column to difference. */
  value: string;
  /** The dimension whose levels are compared. */
  dim: string;
  mode: ContrastMode;
  /** The reference level for mode "reference" (the first level when not given). */
  reference?: string | number;
}

/** A contrast that cannot be formed from this table; the message says what to change. */
export class ContrastError extends DrawscopeError {
  override name = "ContrastError";
  override readonly tag = "contrast";
}

/** Guards the level × row matrix the contrast is built on, and the rows it gives. */
const MAX_CELLS = 64_000_000;

/** The pairs (minuend, subtrahend) of level indices a mode compares, in display order. */
export function contrastPairs(levels: readonly (string | number)[], mode: ContrastMode, reference?: string | number): [number, number][] {
  if (mode === "previous") return levels.slice(1).map((_, i) => [i + 1, i]);
  if (mode === "pairs") {
    const pairs: [number, number][] = [];
    for (let j = 0; j < levels.length; j++) for (let i = j + 1; i < levels.length; i++) pairs.push([i, j]);
    return pairs;
  }
  const ref = reference === undefined || reference === "" ? 0 : levels.findIndex((l) => String(l) === String(reference));
  if (ref < 0) throw new ContrastError(`'${reference}' is not a level of this dimension; levels are ${levels.slice(0, 8).join(", ")}${levels.length > 8 ? ", …" : ""}`);
  return levels.flatMap((_, i) => (i === ref ? [] : [[i, ref] as [number, number]]));
}

/**
 * Within-draw differences of `value` between levels of `dim`: for every row key (chain, draw,
 * the other dims, the source), `value[a] - value[b]`. The result is a tidy table: the key
 * columns, then `contrast` ("East - North") and the differences under the value's name.
 */
export function contrastDraws(table: Table, options: ContrastOptions): Table {
  const { value, dim } = options;
  const columns = tableColumns(table);
  const dimColumn = columns.find((c) => c.name === dim);
  if (!dimColumn || (dimColumn.role !== "dim" && dimColumn.role !== "source")) {
    throw new ContrastError(`contrasts need a dimension to compare levels of, and '${dim}' is not one of this table's dimensions`);
  }
  if (!columns.some((c) => c.name === value && c.numeric)) throw new ContrastError(`'${value}' is not a number column of this table`);
  // Rows are matched on chain, draw, the source and the value's other dims; dims the value does
  // not vary over (from other specs in the query) would only repeat its rows.
  const valueDims = columns.find((c) => c.name === value)!.dims;
  const keyColumns = columns.filter((c) => c.name !== dim && (c.role === "sample" || c.role === "source" || (c.role === "dim" && valueDims.includes(c.name))));
  const level = new LabelCoder(table, dim);
  const levels = level.labels;
  if (levels.length < 2) throw new ContrastError(`'${dim}' has only ${levels.length} level here: a contrast needs two`);
  const pairs = contrastPairs(levels, options.mode, options.reference);

  const keys = new RowKeys(
    table,
    keyColumns.map((c) => c.name),
  );
  const keyCount = keys.count;
  if (keyCount * Math.max(levels.length, pairs.length) > MAX_CELLS) {
    const what = pairs.length > levels.length ? `${pairs.length} contrasts` : `${levels.length} levels`;
    throw new ContrastError(`${what} × ${keyCount} draws is too many to contrast at once: compare against one reference, or narrow the query`);
  }
  // valueAt[level * keyCount + key]; NaN where a level has no row for that key.
  const valueAt = new Float64Array(levels.length * keyCount).fill(NaN);
  const present = new Uint8Array(levels.length * keyCount);
  const batches = numberBatches(table, value);
  const longest = batches.reduce((a, b) => Math.max(a, b.length), 0);
  const levelCodes = new Int32Array(longest);
  for (let b = 0; b < batches.length; b++) {
    const rowKeys = keys.batch(b);
    const lv = level.codeBatch(b, levelCodes);
    const values = batches[b];
    for (let i = 0; i < values.length; i++) {
      const cell = lv[i] * keyCount + rowKeys[i];
      valueAt[cell] = values[i];
      present[cell] = 1;
    }
  }

  // Rows: contrast by contrast, key by key, only where both levels have the key.
  let rows = 0;
  for (const [a, c] of pairs) for (let key = 0; key < keyCount; key++) rows += present[a * keyCount + key] & present[c * keyCount + key];
  const keyCodes = keys.coders.map(() => new Int32Array(rows));
  const contrastCodes = new Int32Array(rows);
  const differences = new Float64Array(rows);
  let row = 0;
  pairs.forEach(([a, c], p) => {
    for (let key = 0; key < keyCount; key++) {
      if (!(present[a * keyCount + key] & present[c * keyCount + key])) continue;
      keyCodes.forEach((codes, k) => (codes[row] = keys.codeOf(key, k)));
      contrastCodes[row] = p;
      differences[row] = valueAt[a * keyCount + key] - valueAt[c * keyCount + key];
      row++;
    }
  });

  const labels = pairs.map(([a, c]) => `${levels[a]} - ${levels[c]}`);
  const indexType = indexTypeFor(labels.length);
  const indices = indexArrayFor(indexType, rows);
  indices.set(contrastCodes);
  const { type, dictionary } = stringDictionary(labels, indexType);
  const out: BuiltColumn[] = keyColumns.map((c, k) => ({ name: c.name, role: c.role, data: labelData(keys.coders[k].labels, keyCodes[k]) }));
  out.push({ name: "contrast", role: "dim", data: dictionaryData(type, indices, dictionary) });
  out.push({ name: value, role: "value", data: float64Data(differences), dims: [...valueDims.filter((d) => d !== dim), "contrast"] });
  return buildTable(out);
}
