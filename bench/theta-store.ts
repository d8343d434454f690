import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Blosc from "numcodecs/blosc";
import Zstd from "numcodecs/zstd";

/** Where the benchmark variable lives inside each store. */
export const THETA = "posterior/theta";

/** The single compression codec a benchmark store uses, with its config as the metadata states it. */
export interface Compressor {
  name: "blosc" | "zstd";
  config: Record<string, unknown>;
}

/** What the report and the decode floor need to know about theta, read from its own metadata. */
export interface ThetaLayout {
  format: 2 | 3;
  shape: number[];
  chunks: number[];
  dtype: string;
  compressor: Compressor;
  /** Absolute paths of theta's chunk files, found on disk (v3 stores skip fill-value chunks). */
  chunkFiles: string[];
}

const METADATA_FILES = new Set([".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json"]);

/** The parts of a v2 `.zarray` the benchmark reads. */
interface Zarray {
  shape: number[];
  chunks: number[];
  dtype: string;
  filters?: unknown;
  compressor?: { id?: unknown } & Record<string, unknown>;
}

/** The parts of a v3 array's `zarr.json` the benchmark reads. */
interface ZarrJson {
  shape: number[];
  data_type: string;
  chunk_grid: { configuration: { chunk_shape: number[] } };
  codecs: { name: string; configuration?: Record<string, unknown> }[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function asCompressor(name: unknown, config: Record<string, unknown>): Compressor {
  if (name !== "blosc" && name !== "zstd") {
    throw new Error(`theta is compressed with ${String(name)}; the benchmark knows blosc and zstd`);
  }
  return { name, config };
}

function v2Compressor(zarray: Zarray): Compressor {
  if (zarray.filters) throw new Error("theta has v2 filters; the decode floor would skip them");
  return asCompressor(zarray.compressor?.id, zarray.compressor ?? {});
}

function v3Compressor(meta: ZarrJson): Compressor {
  const codecs = meta.codecs;
  const others = codecs.filter((c) => c.name !== "bytes");
  // The bytes codec is a no-op for little-endian data on this machine, so one compressor is the whole pipeline.
  if (others.length !== 1) throw new Error(`theta's v3 codecs are ${codecs.map((c) => c.name).join(", ")}`);
  return asCompressor(others[0].name, others[0].configuration ?? {});
}

function chunkFilesUnder(arrayDir: string): string[] {
  return readdirSync(arrayDir, { recursive: true, encoding: "utf8" })
    .filter((rel) => !METADATA_FILES.has(rel.split("/").pop()!))
    .map((rel) => join(arrayDir, rel))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** Theta's layout, or another variable's of a store make_store.py wrote (`variable`: its path, "posterior/mu"). */
export function readThetaLayout(storeDir: string, variable = THETA): ThetaLayout {
  const arrayDir = join(storeDir, variable);
  const chunkFiles = chunkFilesUnder(arrayDir);
  if (existsSync(join(arrayDir, ".zarray"))) {
    const zarray = readJson<Zarray>(join(arrayDir, ".zarray"));
    return { format: 2, shape: zarray.shape, chunks: zarray.chunks, dtype: zarray.dtype, compressor: v2Compressor(zarray), chunkFiles };
  }
  const meta = readJson<ZarrJson>(join(arrayDir, "zarr.json"));
  return {
    format: 3,
    shape: meta.shape,
    chunks: meta.chunk_grid.configuration.chunk_shape,
    dtype: meta.data_type,
    compressor: v3Compressor(meta),
    chunkFiles,
  };
}

/** Total bytes of every file under a folder. */
export function bytesOnDisk(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((rel) => statSync(join(dir, rel)))
    .filter((info) => info.isFile())
    .reduce((sum, info) => sum + info.size, 0);
}

/** The codec the layout names, made the way zarrita makes it (src/codecs.ts: Codec.fromConfig(configuration)). */
export function makeCodec({ name, config }: Compressor) {
  return name === "blosc" ? Blosc.fromConfig({ ...config, id: "blosc" }) : Zstd.fromConfig({ ...config, id: "zstd" });
}
