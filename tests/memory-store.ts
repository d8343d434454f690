import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AbsolutePath } from "@zarrita/storage";
import { listKeys } from "../src/engine/store/entries.ts";
import type { WorkPool } from "../src/engine/pool/pool.ts";
import type { TraceStore } from "../src/engine/store/types.ts";
import { openTrace } from "../src/engine/trace.ts";

type Content = Uint8Array | Record<string, unknown>;

/** A store held in memory, from keys to bytes or JSON documents; listing included unless `listed` is false. */
export function memoryStore(files: Record<string, Content>, listed = true): TraceStore {
  const bytes = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(files)) {
    bytes.set(key, value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value)));
  }
  return {
    store: { get: async (key: AbsolutePath) => bytes.get(key.slice(1)) },
    list: listed ? listKeys(bytes.keys()) : undefined,
    label: "memory",
  };
}

export const asBytes = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** numpy `<U{n}` bytes: each string as n UTF-32LE code points, zero padded. */
export function utf32(strings: string[], n: number): Uint8Array {
  const out = new Uint32Array(strings.length * n);
  strings.forEach((s, i) => [...s].forEach((c, j) => (out[i * n + j] = c.codePointAt(0)!)));
  return asBytes(out);
}

/** Zarr v2 array metadata without compression, so chunks are the raw little-endian values. */
export function zarray(dtype: string, shape: number[], chunks: number[], fill: unknown = null): Record<string, unknown> {
  return { zarr_format: 2, shape, chunks, dtype, compressor: null, filters: null, fill_value: fill, order: "C" };
}

export const dims = (...names: string[]) => ({ _ARRAY_DIMENSIONS: names });

/** A group's `chain` and `draw` coordinates (0 … n-1, int64), as store files. */
export function sampleCoordinates(group: string, chains: number, draws: number): Record<string, Content> {
  const index = (n: number) => asBytes(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)));
  return {
    [`${group}/chain/.zarray`]: zarray("<i8", [chains], [chains]),
    [`${group}/chain/.zattrs`]: dims("chain"),
    [`${group}/chain/0`]: index(chains),
    [`${group}/draw/.zarray`]: zarray("<i8", [draws], [draws]),
    [`${group}/draw/.zattrs`]: dims("draw"),
    [`${group}/draw/0`]: index(draws),
  };
}

/** A Zarr v2 store's root, as xarray writes it. */
export const V2_ROOT: Record<string, Content> = { ".zgroup": { zarr_format: 2 }, ".zattrs": {} };

/** A v2 group with draws: its metadata and its `chain` and `draw` coordinates. */
export function sampledGroup(group: string, chains: number, draws: number): Record<string, Content> {
  return { [`${group}/.zgroup`]: { zarr_format: 2 }, [`${group}/.zattrs`]: {}, ...sampleCoordinates(group, chains, draws) };
}

/**
 * Write store files into a new folder `name` in a fresh temporary directory and return its path;
 * `consolidated` also writes the `.zmetadata` of every JSON document, as xarray does.
 */
export function writeStoreFolder(name: string, files: Record<string, Content>, consolidated = false): string {
  const root = join(mkdtempSync(join(tmpdir(), "drawscope-store-")), name);
  const metadata: Record<string, unknown> = {};
  for (const [key, content] of Object.entries(files)) {
    const path = join(root, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content instanceof Uint8Array ? content : JSON.stringify(content));
    if (!(content instanceof Uint8Array)) metadata[key] = content;
  }
  if (consolidated) writeFileSync(join(root, ".zmetadata"), JSON.stringify({ zarr_consolidated_format: 1, metadata }));
  return root;
}

/**
 * The files of a float64 array at `path` over dimensions `names`, in uncompressed chunks of
 * `chunks` (edge chunks padded to full size, as zarr writes them), element `index` being `value(index)`.
 */
export function float64Array(path: string, names: string[], shape: number[], chunks: number[], value: (index: number[]) => number): Record<string, Content> {
  const files: Record<string, Content> = { [`${path}/.zarray`]: zarray("<f8", shape, chunks), [`${path}/.zattrs`]: dims(...names) };
  const grid = shape.map((n, k) => Math.ceil(n / chunks[k]));
  const inChunk = chunks.reduce((a, b) => a * b, 1);
  for (let c = 0; c < grid.reduce((a, b) => a * b, 1); c++) {
    const coords = grid.map((_, k) => Math.floor(c / grid.slice(k + 1).reduce((a, b) => a * b, 1)) % grid[k]);
    const data = new Float64Array(inChunk);
    for (let i = 0; i < inChunk; i++) {
      const index = chunks.map((n, k) => coords[k] * n + (Math.floor(i / chunks.slice(k + 1).reduce((a, b) => a * b, 1)) % n));
      if (index.every((at, k) => at < shape[k])) data[i] = value(index);
    }
    files[`${path}/${coords.join(".")}`] = asBytes(data);
  }
  return files;
}

/** A trace over `files`, and the key of every read of a chunk whose key matches `chunks` (a chunk read twice shows twice). */
export async function countingTrace(files: Record<string, Content>, chunks: RegExp, pool?: WorkPool) {
  const source = memoryStore(files);
  const reads: string[] = [];
  const get = source.store.get.bind(source.store);
  const store = {
    ...source,
    store: {
      get: (key: AbsolutePath) => {
        if (chunks.test(key)) reads.push(key.slice(1));
        return get(key);
      },
    },
  };
  return { trace: await openTrace(store, { pool }), reads };
}
