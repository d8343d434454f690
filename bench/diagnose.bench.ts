/**
 * The full diagnostics table for 10,000 parameters × 4 chains × 1,000 draws: drawscope (open the
 * store, read the draws, compute every row on a pool of one worker per core) against R posterior's
 * `summarise_draws` with the same measures on the same draws, when Rscript and posterior are
 * installed. The goal: drawscope at least 20 times faster. Also checks that both agree.
 *
 * Then the scaling: theta of 10,000 and of 100,000 (`--big-params`; 0 skips) parameters × 4 × 1,000
 * (3 GiB), chunks 1×100×10,000, written by bench/make_store.py into `--data` (kept there and reused;
 * by default a temporary folder, removed after), each run in a process of its own
 * (bench/diagnose.worker.ts) for its peak RSS. The goals: 100,000 in at most 10 times the time of
 * 10,000, within 1 GiB.
 *
 *   npx tsx bench/diagnose.bench.ts [--runs=N] [--params=N] [--big-params=N] [--data=DIR]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { DIAGNOSTIC_NAMES, openPath, uniforms } from "../src/engine/node.ts";
import { asBytes, dims, sampleCoordinates, writeStoreFolder, zarray } from "../tests/memory-store.ts";
import type { DiagnoseRun } from "./diagnose.worker.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const PARAMS = arg("params", 10_000);
const RUNS = arg("runs", 3);
const CHAINS = 4;
const DRAWS = 1000;
const GOAL = 20;
const BIG_PARAMS = arg("big-params", 100_000);
const DATA = process.argv.find((a) => a.startsWith("--data="))?.split("=")[1];
const SCALING_CHUNKS = "1,100,10000";
const SCALING_GOAL = 10;
const MEMORY_GOAL_MIB = 1024;

/**
 * Draws of PARAMS parameters, parameter-major (for R) and in the store's (chain, draw, param)
 * order: AR(1) chains with autocorrelation from 0 to 0.95 across parameters, and every 50th
 * parameter with one chain shifted, so R-hat and ESS span good and bad values.
 */
function makeDraws(): { byParam: Float64Array; byDraw: Float64Array } {
  const uniform = uniforms(2026);
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const byParam = new Float64Array(PARAMS * CHAINS * DRAWS);
  const byDraw = new Float64Array(PARAMS * CHAINS * DRAWS);
  for (let p = 0; p < PARAMS; p++) {
    const rho = (0.95 * (p % 100)) / 99;
    const scale = Math.sqrt(1 - rho * rho);
    for (let c = 0; c < CHAINS; c++) {
      const shift = p % 50 === 0 && c === 0 ? 0.5 : 0;
      let x = normal();
      for (let d = 0; d < DRAWS; d++) {
        x = rho * x + scale * normal();
        const v = p * 0.01 + shift + x;
        byParam[(p * CHAINS + c) * DRAWS + d] = v;
        byDraw[(c * DRAWS + d) * PARAMS + p] = v;
      }
    }
  }
  return { byParam, byDraw };
}

function writeStore(byDraw: Float64Array): string {
  const chunk = Math.min(PARAMS, 2500);
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ".zgroup": { zarr_format: 2 },
    "posterior/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("posterior", CHAINS, DRAWS),
    "posterior/param/.zarray": zarray("<i8", [PARAMS], [PARAMS]),
    "posterior/param/.zattrs": dims("param"),
    "posterior/param/0": asBytes(BigInt64Array.from({ length: PARAMS }, (_, i) => BigInt(i))),
    "posterior/theta/.zarray": zarray("<f8", [CHAINS, DRAWS, PARAMS], [1, DRAWS, chunk]),
    "posterior/theta/.zattrs": dims("chain", "draw", "param"),
  };
  for (let c = 0; c < CHAINS; c++) {
    for (let k = 0; k * chunk < PARAMS; k++) {
      const block = new Float64Array(DRAWS * chunk);
      for (let d = 0; d < DRAWS; d++) {
        for (let j = 0; j < chunk; j++) block[d * chunk + j] = byDraw[(c * DRAWS + d) * PARAMS + k * chunk + j];
      }
      files[`posterior/theta/${c}.0.${k}`] = asBytes(block);
    }
  }
  return writeStoreFolder("diagnose-bench.zarr", files, true);
}

async function drawscopeTable(store: string): Promise<{ seconds: number; stats: Float64Array }> {
  const start = performance.now();
  const trace = await openPath(store);
  const stats = new Float64Array(PARAMS * DIAGNOSTIC_NAMES.length);
  await trace.diagnose({ kind: "group", group: "posterior" }, { onBlock: (block) => stats.set(block.stats, block.index * DIAGNOSTIC_NAMES.length) });
  return { seconds: (performance.now() - start) / 1000, stats };
}

function hasR(): boolean {
  try {
    execFileSync("Rscript", ["-e", "suppressMessages(library(posterior))"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The largest relative difference between R's table and drawscope's, over every value. */
function largestDifference(csv: string, stats: Float64Array): { difference: number; where: string } {
  const [header, ...lines] = csv.trim().split("\n");
  const columns = header.split(",").map((h) => h.replace(/"/g, ""));
  let worst = { difference: 0, where: "" };
  lines.forEach((line, p) => {
    const cells = line.split(",");
    DIAGNOSTIC_NAMES.forEach((name, j) => {
      const r = Number(cells[columns.indexOf(name)]);
      const ours = stats[p * DIAGNOSTIC_NAMES.length + j];
      // R's NA is NaN here; a value where the other has none is the worst difference there is.
      const difference = Number.isNaN(r) || Number.isNaN(ours) ? (Number.isNaN(r) === Number.isNaN(ours) ? 0 : Infinity) : Math.abs(ours - r) / Math.max(Math.abs(r), 1e-300);
      if (difference > worst.difference) worst = { difference, where: `${name} of theta[${p}]` };
    });
  });
  return worst;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const print = (line: string) => process.stdout.write(`${line}\n`);

const { byParam, byDraw } = makeDraws();
const store = writeStore(byDraw);
print(`diagnostics of ${PARAMS.toLocaleString("en-US")} parameters × ${CHAINS}×${DRAWS} draws, ${availableParallelism()} workers`);
await drawscopeTable(store);
const runs: number[] = [];
let stats: Float64Array = new Float64Array();
for (let r = 0; r < RUNS; r++) {
  const run = await drawscopeTable(store);
  runs.push(run.seconds);
  stats = run.stats;
}
const ours = median(runs);
print(`drawscope (open, read, compute): median ${ours.toFixed(2)} s over ${RUNS} runs (${runs.map((s) => s.toFixed(2)).join(", ")})`);
if (hasR()) {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-r-"));
  writeFileSync(join(dir, "draws.f64"), asBytes(byParam));
  const seconds = Number(
    execFileSync("Rscript", [join(import.meta.dirname, "summarise_draws.R"), join(dir, "draws.f64"), `${PARAMS}`, `${CHAINS}`, `${DRAWS}`, join(dir, "r.csv")], { encoding: "utf8" }).trim(),
  );
  const { difference, where } = largestDifference(readFileSync(join(dir, "r.csv"), "utf8"), stats);
  print(`R posterior summarise_draws (same measures): ${seconds.toFixed(2)} s`);
  print(`largest relative difference from R: ${difference.toExponential(2)} (${where})`);
  print(`ratio R / drawscope: ${(seconds / ours).toFixed(1)}× (goal ≥ ${GOAL}×)`);
} else {
  print("R posterior is not installed (Debian: apt-get install r-cran-posterior): no ratio");
}

/** bench/make_store.py's theta of `params` parameters in `dir`, written unless it is there already. */
function scalingStore(dir: string, params: number): string {
  const path = join(dir, `theta-${params}-${SCALING_CHUNKS.replace(/,/g, "x")}.zarr`);
  if (!existsSync(join(path, ".zmetadata"))) {
    rmSync(path, { recursive: true, force: true });
    execFileSync("/usr/bin/python3", [join(import.meta.dirname, "make_store.py"), path, "--chunks", SCALING_CHUNKS, "--size", `${params}`], { stdio: "inherit" });
  }
  return path;
}

/** The diagnostics of a store's posterior, RUNS times, each in a process of its own: medians, and the largest peak RSS. */
function measureScaling(store: string): { seconds: number; cpuSeconds: number; peakMiB: number; elements: number } {
  const runs = Array.from({ length: RUNS }, () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "diagnose.worker.ts"), store], { encoding: "utf8" });
    return JSON.parse(output.trim().split("\n").at(-1)!) as DiagnoseRun;
  });
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    peakMiB: Math.max(...runs.map((r) => r.peakMiB)),
    elements: runs[0].elements,
  };
}

if (BIG_PARAMS > 0) {
  const dir = DATA ?? mkdtempSync(join(tmpdir(), "drawscope-diagnose-"));
  mkdirSync(dir, { recursive: true });
  print(`scaling: theta from make_store.py (standard normals, Blosc LZ4), chunks ${SCALING_CHUNKS.replace(/,/g, "×")}, median of ${RUNS} runs, each in a process of its own`);
  const [small, big] = [10_000, BIG_PARAMS].map((params) => {
    const result = measureScaling(scalingStore(dir, params));
    print(
      `  ${result.elements.toLocaleString("en-US")} parameters: ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s), peak RSS ${result.peakMiB.toFixed(0)} MiB (goal ≤ ${MEMORY_GOAL_MIB})`,
    );
    return result;
  });
  print(`  ratio ${big.elements.toLocaleString("en-US")} / ${small.elements.toLocaleString("en-US")}: ${(big.seconds / small.seconds).toFixed(1)}× (goal ≤ ${SCALING_GOAL}× for 10× the parameters)`);
  if (!DATA) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
