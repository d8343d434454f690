/**
 * A value's draws per element and chain, in draw order, for the diagnostic panels (trace, rank,
 * sampler statistics). Built batch by batch from typed arrays, without row objects.
 */
import { DataType, type Table } from "apache-arrow";
import { unpackBits } from "../engine/arrow-build.ts";
import { LabelCoder, numberBatches, tableColumns } from "../engine/columns.ts";
import { DrawscopeError } from "../engine/errors.ts";
import { RowKeys } from "../engine/split.ts";
import { formatCount, formatNumber } from "./style.ts";
import type { OptionSpec, OptionValue } from "./types.ts";

/** A diagnostic panel asked for draws its table does not have (no chain and draw columns, a missing column). */
export class ChainDrawsError extends DrawscopeError {
  override name = "ChainDrawsError";
  override readonly tag = "chain-draws";
}

/** The sample-stats column whose true (or non-zero) rows are divergent transitions. */
export const DIVERGING = "diverging";

/** One chain's draws of one element, ordered by draw. */
export interface ChainSeries {
  chain: string;
  draws: Float64Array;
  values: Float64Array;
  /** 1 for a divergent draw, when the table has a `diverging` column. */
  divergent?: Uint8Array;
}

/** One element of a value (a combination of labels of its dims, and the source), with its chains. */
export interface ElementDraws {
  keys: (string | number)[];
  /** Chains with draws, in chain order. */
  series: ChainSeries[];
}

export interface ChainDraws {
  elements: ElementDraws[];
  /** Elements with draws, including those beyond the limit. */
  total: number;
  /** Every chain label of the table, ascending, as text (chain colours are assigned over these). */
  chains: string[];
  /** True when the table has a divergence flag. */
  flagged: boolean;
  /** Label columns that were neither split by nor part of the value: only their first level's rows are read. */
  fixed: string[];
}

export interface ChainDrawsOptions {
  /** Gather only the first `limit` elements (in label order); `total` still counts them all. */
  limit?: number;
  /** Gather only these chains (labels as text); all when undefined. */
  chains?: ReadonlySet<string>;
}

/** Throws when the table has no draws (data groups such as observed_data have one value per label). */
export function requireDraws(table: Table, what: string): void {
  const columns = tableColumns(table);
  if (!["chain", "draw"].every((name) => columns.some((c) => c.name === name && c.role === "sample"))) {
    throw new ChainDrawsError(`${what} needs draws (chain and draw columns), and this table has none: query a variable of a group with draws`);
  }
}

/** A 0/1 (or boolean) column's values batch by batch as numbers. */
function flagBatches(table: Table, name: string): ArrayLike<number>[] {
  const vector = table.getChild(name);
  if (!vector) throw new ChainDrawsError(`this table has no column '${name}'`);
  if (!DataType.isBool(vector.type)) return numberBatches(table, name);
  return vector.data.map(unpackBits);
}

/** True when the table has a divergence flag (a boolean or number `diverging` column). */
function hasDivergences(table: Table): boolean {
  const column = tableColumns(table).find((c) => c.name === DIVERGING);
  return column !== undefined && (column.numeric || column.type === "Bool");
}

/** Reorder a series by draw when its rows did not come in draw order (joins may interleave them). */
function sortByDraw(series: ChainSeries): void {
  const { draws } = series;
  let sorted = true;
  for (let i = 1; i < draws.length && sorted; i++) sorted = draws[i - 1] <= draws[i];
  if (sorted) return;
  const order = Uint32Array.from(draws, (_, i) => i).sort((a, b) => draws[a] - draws[b]);
  series.draws = Float64Array.from(order, (i) => draws[i]);
  const values = series.values;
  series.values = Float64Array.from(order, (i) => values[i]);
  const flags = series.divergent;
  if (flags) series.divergent = Uint8Array.from(order, (i) => flags[i]);
}

/**
 * The draws of `value` split by the label columns `by` (an element per combination) and by chain.
 * Label columns outside `by` (another spec's dims, the source when not split by it) repeat each
 * draw once per label: only the rows at their first label are read, so each draw counts once.
 */
export function chainDraws(table: Table, value: string, by: readonly string[], options: ChainDrawsOptions = {}): ChainDraws {
  requireDraws(table, "This panel");
  const columns = tableColumns(table);
  if (!columns.some((c) => c.name === value)) throw new ChainDrawsError(`this table has no column '${value}'`);
  const fixed = columns.filter((c) => (c.role === "dim" || c.role === "source") && !by.includes(c.name)).map((c) => c.name);
  const keys = new RowKeys(table, by);
  const others = new RowKeys(table, fixed);
  const chainCoder = new LabelCoder(table, "chain");
  const chainLabels = chainCoder.labels.map(String);
  const nChains = chainLabels.length;
  const wanted = Uint8Array.from(chainLabels, (c) => (options.chains === undefined || options.chains.has(c) ? 1 : 0));
  const values = numberBatches(table, value);
  const draws = numberBatches(table, "draw");
  const flagged = hasDivergences(table);
  const flags = flagged ? flagBatches(table, DIVERGING) : undefined;
  const longest = Math.max(0, ...table.batches.map((b) => b.numRows));
  const chainScratch = new Int32Array(longest);

  // Pass 1: rows per element and chain.
  const counts = new Int32Array(keys.count * nChains);
  for (let b = 0; b < values.length; b++) {
    const elementKeys = keys.batch(b);
    const otherKeys = others.batch(b);
    const chainCodes = chainCoder.codeBatch(b, chainScratch);
    for (let i = 0; i < elementKeys.length; i++) {
      if (otherKeys[i] === 0 && wanted[chainCodes[i]]) counts[elementKeys[i] * nChains + chainCodes[i]]++;
    }
  }
  const present: number[] = [];
  for (let key = 0; key < keys.count; key++) {
    if (counts.subarray(key * nChains, (key + 1) * nChains).some((c) => c > 0)) present.push(key);
  }
  const kept = present.slice(0, options.limit ?? Infinity);
  const seriesOf: (ChainSeries | undefined)[] = new Array(keys.count * nChains);
  for (const key of kept) {
    for (let c = 0; c < nChains; c++) {
      const n = counts[key * nChains + c];
      if (n > 0) {
        seriesOf[key * nChains + c] = { chain: chainLabels[c], draws: new Float64Array(n), values: new Float64Array(n), divergent: flagged ? new Uint8Array(n) : undefined };
      }
    }
  }

  // Pass 2: copy the kept elements' rows, in row order.
  const filled = new Int32Array(keys.count * nChains);
  for (let b = 0; b < values.length; b++) {
    const elementKeys = keys.batch(b);
    const otherKeys = others.batch(b);
    const chainCodes = chainCoder.codeBatch(b, chainScratch);
    const batchValues = values[b];
    const batchDraws = draws[b];
    const batchFlags = flags?.[b];
    for (let i = 0; i < elementKeys.length; i++) {
      if (otherKeys[i] !== 0) continue;
      const group = elementKeys[i] * nChains + chainCodes[i];
      const series = seriesOf[group];
      if (!series) continue;
      const at = filled[group]++;
      series.values[at] = batchValues[i];
      series.draws[at] = batchDraws[i];
      if (batchFlags) series.divergent![at] = batchFlags[i] ? 1 : 0;
    }
  }

  const elements = kept.map((key) => {
    const series = seriesOf.slice(key * nChains, (key + 1) * nChains).filter((s): s is ChainSeries => s !== undefined);
    series.forEach(sortByDraw);
    return { keys: keys.labelsOf(key), series };
  });
  return { elements, total: present.length, chains: chainLabels, flagged, fixed };
}

/** The split a diagnostic panel uses for a value: its own dims, then the source when groups are stacked. */
export function elementColumns(table: Table, value: string): string[] {
  const columns = tableColumns(table);
  const own = columns.find((c) => c.name === value)?.dims ?? [];
  return columns.some((c) => c.role === "source") ? [...own, "source"] : [...own];
}

/** An element's name: `beta[North]`, `sigma`, `beta[North] · prior` (the source, when split by it, last). */
export function elementLabel(value: string, keys: readonly (string | number)[], by: readonly string[]): string {
  const sourceAt = by.indexOf("source");
  const labels = keys.filter((_, k) => k !== sourceAt).map(String);
  const name = labels.length ? `${value}[${labels.join(", ")}]` : value;
  return sourceAt >= 0 ? `${name} · ${keys[sourceAt]}` : name;
}

/** The panels' Chains option: all, or one of the table's chains. */
export const CHAINS_OPTION: OptionSpec = { key: "chains", label: "Chains", type: "chain" };

/**
 * The chains a Chains option keeps for a table: undefined for all of them. A chain the table does
 * not have keeps all, with a note saying so.
 */
export function chainSelection(option: OptionValue, table: Table): { chains?: Set<string>; note: string } {
  const choice = String(option);
  if (choice === "all") return { note: "" };
  const labels = new LabelCoder(table, "chain").labels.map(String);
  if (labels.includes(choice)) return { chains: new Set([choice]), note: "" };
  const range = labels.length ? `its chains are ${labels.length > 3 ? `${labels[0]}–${labels.at(-1)}` : labels.join(", ")}` : "it has no chains";
  return { note: `This table has no chain ${choice} (${range}): all chains are shown.` };
}

/** "4 chains × 400 draws", or the total when chains differ in length. */
export function drawsPhrase(series: readonly ChainSeries[]): string {
  const lengths = new Set(series.map((s) => s.draws.length));
  const chains = `${formatNumber(series.length)} chain${series.length === 1 ? "" : "s"}`;
  if (lengths.size === 1) return `${chains} × ${formatCount(series[0].draws.length, "draw")}`;
  return `${chains}, ${formatCount(
    series.reduce((a, s) => a + s.draws.length, 0),
    "draw",
  )}`;
}
