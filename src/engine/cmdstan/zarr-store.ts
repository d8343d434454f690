import type { TraceStore } from "../store/types.ts";
import { VirtualZarr } from "../store/virtual-zarr.ts";
import type { ParsedChain } from "./chain-parser.ts";
import { SAMPLER_RENAMES, type CsvVariable } from "./columns.ts";
import type { CommentValue } from "./comments.ts";

/**
 * Parsed chains presented as the Zarr store ArviZ would write for them (store/virtual-zarr.ts).
 * Nothing is copied up front: a chunk is gathered from the chains' rows when it is read, each
 * element from its CSV column.
 */

/** The largest chunk a variable is cut into: a few MB, as a written store's chunks. */
const CHUNK_BYTES = 4 << 20;

const DTYPES = { float: "<f8", int: "<i8", bool: "|b1" } as const;

/** One group's draws: rows `firstRow` … `firstRow + draws - 1` of every chain. */
interface DrawGroup {
  name: string;
  firstRow: number;
  draws: number;
  variables: CsvVariable[];
  attrs: Record<string, unknown>;
}

const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** Each setting's value in every chain (null where a chain's comments lack it), as ArviZ lists them. */
function settingsByChain(chains: readonly ParsedChain[]): Record<string, (CommentValue | null)[]> {
  const keys = [...new Set(chains.flatMap((chain) => Object.keys(chain.comments.attrs)))];
  return Object.fromEntries(keys.map((key) => [key, chains.map((chain) => chain.comments.attrs[key] ?? null)]));
}

function drawGroups(chains: readonly ParsedChain[], warmup: number, draws: number): DrawGroup[] {
  const variables = chains[0].variables;
  const settings = settingsByChain(chains);
  const attrsOf = { posterior: settings, sample_stats: SAMPLER_RENAMES, log_likelihood: {} };
  const groups: DrawGroup[] = [];
  for (const [prefix, firstRow, count] of [
    ["", warmup, draws],
    ["warmup_", 0, warmup],
  ] as const) {
    if (count === 0) continue;
    for (const group of ["posterior", "sample_stats", "log_likelihood"] as const) {
      const own = variables.filter((v) => v.group === group);
      if (own.length) groups.push({ name: prefix + group, firstRow, draws: count, variables: own, attrs: attrsOf[group] });
    }
  }
  return groups;
}

/**
 * A chunk of `variable`: its elements `first` … `last - 1` (C order) in `draws` rows from
 * `firstRow` of `chain`, each row padded to `width` elements, as Zarr stores edge chunks.
 */
function gather(chain: ParsedChain, variable: CsvVariable, firstRow: number, draws: number, first: number, last: number, width: number): Uint8Array {
  const { values } = chain;
  const rowLength = chain.header.length;
  const columns = variable.columns.subarray(first, last);
  const size = columns.length;
  if (variable.kind === "int") {
    const out = new BigInt64Array(draws * width);
    for (let d = 0; d < draws; d++) {
      for (let e = 0; e < size; e++) out[d * width + e] = BigInt(values[(firstRow + d) * rowLength + columns[e]]);
    }
    return bytesOf(out);
  }
  const out = variable.kind === "bool" ? new Uint8Array(draws * width) : new Float64Array(draws * width);
  for (let d = 0; d < draws; d++) {
    const from = (firstRow + d) * rowLength;
    const to = d * width;
    for (let e = 0; e < size; e++) out[to + e] = values[from + columns[e]];
  }
  return bytesOf(out);
}

const indexChunk = (n: number) => bytesOf(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)));

/**
 * The store of a run's chains: `warmup` saved warmup draws (warmup_* groups) then `draws` draws
 * (posterior, sample_stats, and log_likelihood when the model writes log_lik) in every chain.
 */
export function cmdstanZarr(chains: readonly ParsedChain[], warmup: number, draws: number, label: string): TraceStore {
  const zarr = new VirtualZarr();
  const addIndex = (group: string, dim: string, n: number) =>
    zarr.array(`${group}/${dim}`, { dims: [dim], shape: [n], chunks: [n], dtype: "<i8" }, (coords) => (coords[0] === 0 ? indexChunk(n) : undefined));

  for (const group of drawGroups(chains, warmup, draws)) {
    zarr.group(group.name, group.attrs);
    addIndex(group.name, "chain", chains.length);
    addIndex(group.name, "draw", group.draws);
    for (const variable of group.variables) {
      // Chunks hold every draw of a chain and a run of the first dimension's indices (with all of
      // the others), so a selection or a block of diagnostics reads only the elements it needs.
      const [length = 1, ...others] = variable.shape;
      const perIndex = others.reduce((a, b) => a * b, 1);
      const indices = Math.max(1, Math.min(length, Math.floor(CHUNK_BYTES / (8 * group.draws * perIndex))));
      const blocks = Math.ceil(length / indices);
      const scalar = variable.shape.length === 0;
      zarr.array(
        `${group.name}/${variable.name}`,
        {
          dims: ["chain", "draw", ...variable.dims],
          shape: [chains.length, group.draws, ...variable.shape],
          chunks: [1, group.draws, ...(scalar ? [] : [indices, ...others])],
          dtype: DTYPES[variable.kind],
        },
        ([chain, draw, block = 0, ...rest]) => {
          if (!(chain < chains.length && draw === 0 && block < blocks && rest.every((c) => c === 0))) return undefined;
          const first = block * indices * perIndex;
          const last = Math.min(length, (block + 1) * indices) * perIndex;
          return gather(chains[chain], variable, group.firstRow, group.draws, first, last, indices * perIndex);
        },
      );
      variable.dims.forEach((dim, k) => addIndex(group.name, dim, variable.shape[k]));
    }
  }
  return { store: zarr.store(), label, origin: `CmdStan CSV, ${chains.length} chain${chains.length === 1 ? "" : "s"}` };
}
