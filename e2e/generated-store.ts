import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The generated trace's size: 4 chains × 1000 draws × 100 parameters = 400,000 rows. */
export const CHAINS = 4;
export const DRAWS = 1000;
export const PARAMS = 100;
/** Draws flagged as divergent: every 500th draw of each chain, starting at draw 7. */
export const DIVERGENT_DRAWS = Array.from({ length: CHAINS * 2 }, (_, k) => ({ chain: k >> 1, draw: 7 + 500 * (k & 1) }));

/** A seeded uniform generator (mulberry32), so every run writes the same draws. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every metadata document written, by its key, for the consolidated `.zmetadata` xarray also writes. */
type Consolidated = Record<string, unknown>;

function json(root: string, key: string, value: unknown, consolidated: Consolidated): void {
  writeFileSync(join(root, key), JSON.stringify(value));
  consolidated[key] = value;
}

/** A v2 array without compression: each chunk file holds the raw little-endian values. */
function array(root: string, path: string, dims: string[], dtype: string, shape: number[], chunks: number[], chunkFiles: Record<string, ArrayBufferView>, consolidated: Consolidated): void {
  mkdirSync(join(root, path), { recursive: true });
  json(root, `${path}/.zarray`, { zarr_format: 2, shape, chunks, dtype, compressor: null, filters: null, fill_value: null, order: "C" }, consolidated);
  json(root, `${path}/.zattrs`, { _ARRAY_DIMENSIONS: dims }, consolidated);
  for (const [key, data] of Object.entries(chunkFiles)) writeFileSync(join(root, path, key), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function group(root: string, path: string, consolidated: Consolidated): void {
  mkdirSync(join(root, path), { recursive: true });
  const prefix = path === "" ? "" : `${path}/`;
  json(root, `${prefix}.zgroup`, { zarr_format: 2 }, consolidated);
  json(root, `${prefix}.zattrs`, {}, consolidated);
}

/**
 * Write `pairs400k.zarr` (consolidated, as xarray writes it) into a new temporary folder and return
 * its path: posterior `a[param]` and
 * `b[param]` (float64, one chunk per chain; b correlates with a, and both shift with the
 * parameter) and `sample_stats/diverging` (bool) with DIVERGENT_DRAWS set.
 */
export function writeGeneratedStore(): string {
  const root = join(mkdtempSync(join(tmpdir(), "drawscope-pairs-")), "pairs400k.zarr");
  const metadata: Consolidated = {};
  const index = (n: number) => ({ "0": BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) });
  const coords = (group: string, withParam: boolean) => {
    array(root, `${group}/chain`, ["chain"], "<i8", [CHAINS], [CHAINS], index(CHAINS), metadata);
    array(root, `${group}/draw`, ["draw"], "<i8", [DRAWS], [DRAWS], index(DRAWS), metadata);
    if (withParam) array(root, `${group}/param`, ["param"], "<i8", [PARAMS], [PARAMS], index(PARAMS), metadata);
  };
  group(root, "", metadata);
  group(root, "posterior", metadata);
  coords("posterior", true);
  const random = uniform(2026);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const a: Record<string, Float64Array> = {};
  const b: Record<string, Float64Array> = {};
  for (let chain = 0; chain < CHAINS; chain++) {
    const ac = new Float64Array(DRAWS * PARAMS);
    const bc = new Float64Array(DRAWS * PARAMS);
    for (let i = 0; i < DRAWS * PARAMS; i++) {
      const param = i % PARAMS;
      ac[i] = param / 25 + normal();
      bc[i] = 0.6 * ac[i] - param / 50 + 0.8 * normal();
    }
    a[`${chain}.0.0`] = ac;
    b[`${chain}.0.0`] = bc;
  }
  const shape = [CHAINS, DRAWS, PARAMS];
  const chunks = [1, DRAWS, PARAMS];
  array(root, "posterior/a", ["chain", "draw", "param"], "<f8", shape, chunks, a, metadata);
  array(root, "posterior/b", ["chain", "draw", "param"], "<f8", shape, chunks, b, metadata);

  group(root, "sample_stats", metadata);
  coords("sample_stats", false);
  const diverging = new Uint8Array(CHAINS * DRAWS);
  for (const { chain, draw } of DIVERGENT_DRAWS) diverging[chain * DRAWS + draw] = 1;
  array(root, "sample_stats/diverging", ["chain", "draw"], "|b1", [CHAINS, DRAWS], [CHAINS, DRAWS], { "0.0": diverging }, metadata);
  writeFileSync(join(root, ".zmetadata"), JSON.stringify({ zarr_consolidated_format: 1, metadata }));
  return root;
}
