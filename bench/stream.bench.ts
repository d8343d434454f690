/**
 * The CLI streaming a query bigger than memory should hold: `draws STORE 'mu[obs]' --format arrow
 * --out FILE` on mu (chain, draw, obs) = 4 x 1000 x 100,000 float64 (3 GiB decoded, chunks
 * 1 x 100 x 10,000, Blosc LZ4 as xarray writes it), against the two-core decode floor of the
 * same chunks. Goals: peak RSS ≤ 1.5 GiB, time ≤ 1.5 × the floor.
 *
 *   npx tsx bench/stream.bench.ts [--runs=N] [--store=DIR]
 *
 * The store is written by bench/make_store.py when DIR does not exist (default: a folder in the
 * temp directory, kept between runs since it takes a while to write); the Arrow file (6 GB) goes
 * beside it and is removed after each run. Progress goes to stderr, the report to stdout.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { decodeFloor } from "./decode-floor.ts";
import { bytesOnDisk, readThetaLayout } from "./theta-store.ts";

const REPO = resolve(import.meta.dirname, "..");
const PYTHON = "/usr/bin/python3";
const VARIABLE = "posterior/mu";
const QUERY = "mu[obs]";
const GOAL_RSS_MIB = 1536;
const GOAL_FLOOR_RATIO = 1.5;
const MiB = 1024 * 1024;

interface Options {
  runs: number;
  store: string;
}

interface CliRun {
  seconds: number;
  peakMiB: number;
  outBytes: number;
  stats: string;
}

function progress(message: string): void {
  process.stderr.write(`[stream bench] ${message}\n`);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3, store: join(tmpdir(), "drawscope-stream-bench", "mu.zarr") };
  for (const arg of argv) {
    const [key, value] = arg.split("=", 2);
    if (key === "--runs" && Number(value) >= 1) options.runs = Number(value);
    else if (key === "--store" && value) options.store = resolve(value);
    else throw new Error(`unknown argument ${arg}; usage: stream.bench.ts [--runs=N] [--store=DIR]`);
  }
  return options;
}

/** Run a program to the end, keeping its output. */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => done({ code: null, stdout, stderr: error.message }));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

async function ensureStore(store: string): Promise<void> {
  if (existsSync(join(store, VARIABLE))) return;
  progress(`writing ${store} (3 GiB; kept for the next runs)`);
  mkdirSync(dirname(store), { recursive: true });
  const args = [join(REPO, "bench/make_store.py"), store, "--name", "mu", "--dim", "obs", "--size", "100000", "--index-labels", "--chunks", "1,100,10000"];
  const { code, stderr } = await run(PYTHON, args);
  if (code !== 0) throw new Error(`make_store.py failed (exit ${code}): ${stderr.trim().split("\n").at(-1)}; it needs Debian's python3-zarr`);
}

/** One `draws` run under /usr/bin/time -v: its wall time, peak RSS, the file's size and its --stats line. */
async function cliRun(store: string, out: string): Promise<CliRun> {
  const args = ["-v", process.execPath, "--import", "tsx", join(REPO, "src/cli/draws.ts"), store, QUERY, "--format", "arrow", "--out", out, "--stats"];
  const start = performance.now();
  const { code, stderr } = await run("/usr/bin/time", args);
  const seconds = (performance.now() - start) / 1000;
  const stats = stderr.split("\n").find((l) => l.startsWith("read ")) ?? "";
  if (code !== 0) throw new Error(`draws failed (exit ${code}): ${stderr.trim().split("\n").slice(0, 3).join(" ")}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!rss) throw new Error("/usr/bin/time -v printed no maximum resident set size");
  const outBytes = statSync(out).size;
  rmSync(out);
  return { seconds, peakMiB: Number(rss[1]) / 1024, outBytes, stats };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values: number[], digits: number) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg()[0].toFixed(2);
  await ensureStore(options.store);
  const layout = readThetaLayout(options.store, VARIABLE);
  const out = join(dirname(options.store), "mu.arrow");
  const floors: number[] = [];
  const runs: CliRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    // Alternated, so a burst of other work on the machine weighs on both alike.
    progress(`run ${i + 1} of ${options.runs}: decode floor`);
    floors.push((await decodeFloor(layout.chunkFiles, layout.compressor)).seconds);
    progress(`run ${i + 1} of ${options.runs}: draws ${QUERY} --format arrow`);
    runs.push(await cliRun(options.store, out));
  }
  const floor = median(floors);
  const seconds = median(runs.map((r) => r.seconds));
  const peak = Math.max(...runs.map((r) => r.peakMiB));
  const values = layout.shape.reduce((a, b) => a * b, 1);
  process.stdout.write(
    [
      "",
      "drawscope CLI streaming benchmark",
      `mu (chain, draw, obs) = ${layout.shape.join(" x ")} ${layout.dtype}: ${values.toLocaleString("en")} values, ${((values * 8) / MiB).toFixed(0)} MiB decoded, ` +
        `chunks (${layout.chunks.join(", ")}), ${layout.chunkFiles.length} chunks, ${(bytesOnDisk(join(options.store, VARIABLE)) / MiB).toFixed(0)} MiB on disk`,
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
      `load average ${loadBefore} before, ${loadavg()[0].toFixed(2)} after (other work on the machine skews the times)`,
      `median (min–max) of ${options.runs} runs; peak RSS: the largest of the runs (/usr/bin/time -v)`,
      "",
      `two-core decode floor s      ${spread(floors, 2)}`,
      `draws ${QUERY} --format arrow s  ${spread(
        runs.map((r) => r.seconds),
        2,
      )}`,
      `  its --stats                ${runs[0].stats}`,
      `  Arrow file                 ${(runs[0].outBytes / 1e9).toFixed(2)} GB`,
      `peak RSS MiB                 ${peak.toFixed(0)}  (goal ≤ ${GOAL_RSS_MIB}: ${verdict(peak <= GOAL_RSS_MIB)})`,
      `time / decode floor          ${(seconds / floor).toFixed(2)}  (goal ≤ ${GOAL_FLOOR_RATIO}: ${verdict(seconds / floor <= GOAL_FLOOR_RATIO)})`,
      "",
    ].join("\n"),
  );
}

await main();
