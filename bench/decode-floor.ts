/**
 * The two-core decode floor: a variable's chunk files split between two processes that decompress
 * them as zarrita's codecs would (numcodecs) and keep nothing, so the floor holds for data far
 * larger than memory. Reading the files is left out, as in extract.bench.ts's floor.
 *
 *   node --import tsx bench/decode-floor.ts FILES.json   (one process's share; prints JSON)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Blosc from "numcodecs/blosc";
import Zstd from "numcodecs/zstd";
import type { Compressor } from "./theta-store.ts";

export interface DecodeFloor {
  /** Wall time of the slower process. */
  seconds: number;
  storedBytes: number;
  decodedBytes: number;
}

interface Share {
  files: string[];
  compressor: Compressor;
}

interface ShareResult {
  seconds: number;
  decodedBytes: number;
}

async function decodeShare({ files, compressor: { name, config } }: Share): Promise<ShareResult> {
  // The same calls zarrita makes for these codecs (src/codecs.ts: Codec.fromConfig(configuration)).
  const codec = name === "blosc" ? Blosc.fromConfig({ ...config, id: "blosc" }) : Zstd.fromConfig({ ...config, id: "zstd" });
  let seconds = 0;
  let decodedBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const start = performance.now();
    decodedBytes += (await codec.decode(bytes)).byteLength;
    seconds += (performance.now() - start) / 1000;
  }
  return { seconds, decodedBytes };
}

function runShare(shareFile: string): Promise<ShareResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, shareFile], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done(JSON.parse(out) as ShareResult) : fail(new Error(`decode floor process exited with ${code}`))));
  });
}

/** Decode `files` on `cores` processes at once (alternate files to each, so both get every kind of chunk). */
export async function decodeFloor(files: readonly string[], compressor: Compressor, cores = 2): Promise<DecodeFloor> {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-floor-"));
  try {
    const shares = Array.from({ length: cores }, (_, k) => {
      const path = join(dir, `share-${k}.json`);
      writeFileSync(path, JSON.stringify({ files: files.filter((_, i) => i % cores === k), compressor } satisfies Share));
      return path;
    });
    const results = await Promise.all(shares.map(runShare));
    return {
      seconds: Math.max(...results.map((r) => r.seconds)),
      storedBytes: files.reduce((sum, file) => sum + statSync(file).size, 0),
      decodedBytes: results.reduce((sum, r) => sum + r.decodedBytes, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const share = JSON.parse(readFileSync(process.argv[2], "utf8")) as Share;
  process.stdout.write(JSON.stringify(await decodeShare(share)));
}
