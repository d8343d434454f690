/**
 * How fast drawscope turns a large posterior into a tidy Arrow table, against the floor (decoding
 * the chunks), zarrita reading the array, and xarray's to_dataframe().
 *
 *   npx tsx bench/extract.bench.ts [--runs=N] [--chunks=C,D,P]
 *
 * Builds theta (chain, draw, param) = 4 x 1000 x 10,000 float64 in a temporary folder as a Zarr v2
 * store (Blosc LZ4, as xarray writes it) and as Zarr v3 (zstd, via bench/to_zarr_v3.py),
 * then times each reader on each store in a process of its own so that peak RSS is per reader.
 * Needs Debian's python3-zarr (installed with apt-get when missing); xarray is optional.
 * Progress goes to stderr, the report to stdout.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import type { RowCheck, RunResult, WorkerReport } from "./extract.worker.ts";
import { bytesOnDisk, type Compressor, readThetaLayout, type ThetaLayout } from "./theta-store.ts";

const REPO = resolve(import.meta.dirname, "..");
const PYTHON = "/usr/bin/python3";
const CONVERTER = resolve(REPO, "bench/to_zarr_v3.py");
const GOAL_FLOOR_RATIO = 1.5;
const GOAL_XARRAY_SPEEDUP = 4;
// Summing 40M doubles in a different order moves the last digits only; a lost or doubled value moves it by ~1.
const CHECKSUM_TOLERANCE = 1e-6;
const MiB = 1024 * 1024;
/**
 * Whether glibc gives memory freed between runs back to the OS or keeps it depends on the order of
 * the frees: two arrangements of the same decode loop took 2.0 s and 0.9 s, the difference being
 * page faults. Every measuring process keeps freed memory instead (and maps only blocks over 32 MiB
 * afresh), so the runs after the warm-up compare the work itself; the warm-up shows a cold process.
 */
const STEADY_MALLOC = { MALLOC_TRIM_THRESHOLD_: String(2 ** 40), MALLOC_MMAP_THRESHOLD_: String(32 * MiB) };

interface Options {
  runs: number;
  chunks?: string;
}

type StoreName = "v2" | "v3";
type MeasurementName = "decode" | "zarrita" | "drawscope" | "xarray";

/** A measurement that ran (the worker's report) or one that did not, and why. */
type Outcome = (WorkerReport & { versions?: string }) | { missing: string };

interface Store {
  name: StoreName;
  path: string;
  layout: ThetaLayout;
  results: Record<MeasurementName, Outcome>;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3 };
  for (const arg of argv) {
    const [key, value] = arg.split("=", 2);
    if (key === "--runs" && Number(value) >= 1) options.runs = Number(value);
    else if (key === "--chunks" && /^\d+,\d+,\d+$/.test(value ?? "")) options.chunks = value;
    else throw new Error(`unknown argument ${arg}; usage: extract.bench.ts [--runs=N] [--chunks=C,D,P]`);
  }
  return options;
}

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program to the end; with `show`, its output goes to our stderr instead of being kept. */
function run(command: string, args: string[], show = false, env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", show ? 2 : "pipe", show ? 2 : "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => done({ code: null, stdout, stderr: error.message }));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

async function mustRun(command: string, args: string[]): Promise<void> {
  const { code } = await run(command, args, true);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${code})`);
}

/** Why PYTHON cannot import these modules (the error's last line), or undefined when it can. */
async function importProblem(modules: string): Promise<string | undefined> {
  const { code, stderr } = await run(PYTHON, ["-c", `import ${modules}`]);
  return code === 0 ? undefined : lastLine(stderr) || `exit ${code}`;
}

function aptIsRunning(): boolean {
  // Read /proc rather than call pgrep, which a minimal machine may lack.
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return ["apt", "apt-get", "dpkg"].includes(readFileSync(`/proc/${pid}/comm`, "utf8").trim());
      } catch {
        return false;
      }
    });
}

async function waitForApt(): Promise<void> {
  for (let waited = 0; aptIsRunning(); waited += 5) {
    if (waited % 60 === 0) progress("waiting for a running apt/dpkg to finish");
    if (waited > 1200) throw new Error("apt/dpkg has been busy for 20 minutes");
    await new Promise((wake) => setTimeout(wake, 5000));
  }
}

async function aptInstall(packages: string[]): Promise<void> {
  progress(`installing ${packages.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = await run("apt-get", ["update"], true, env);
  const install = await run("apt-get", ["install", "-y", "-o", "DPkg::Lock::Timeout=600", ...packages], true, env);
  if (update.code !== 0 || install.code !== 0) progress("apt-get failed; going on with what is installed");
}

/** Make sure Debian's zarr is there (the stores need it); returns why xarray is not, if it is not. */
async function ensurePython(): Promise<string | undefined> {
  const missing = async () => (await importProblem("zarr, numcodecs")) ?? (await importProblem("xarray"));
  if (!(await missing())) return undefined;
  // An install already under way may be bringing these packages, and it holds the lock we would need.
  await waitForApt();
  if (await missing()) await aptInstall(["python3-zarr", "python3-numcodecs", "python3-xarray"]);
  const zarrProblem = await importProblem("zarr, numcodecs");
  if (zarrProblem) throw new Error(`${PYTHON} cannot import zarr, numcodecs (${zarrProblem}): install Debian's python3-zarr`);
  return importProblem("xarray");
}

async function buildStores(dir: string, chunks?: string): Promise<Record<StoreName, string>> {
  const paths = { v2: join(dir, "theta.zarr"), v3: join(dir, "theta.v3.zarr") };
  progress(`writing the Zarr v2 store in ${dir}`);
  await mustRun(PYTHON, [join(REPO, "bench/make_store.py"), paths.v2, ...(chunks ? ["--chunks", chunks] : [])]);
  progress("rewriting it as Zarr v3");
  await mustRun(PYTHON, [CONVERTER, paths.v2, paths.v3]);
  return paths;
}

/** The last line a failed child printed, which is where Node and Python put the error. */
function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

async function measure(name: MeasurementName, store: string, runs: number): Promise<Outcome> {
  const [command, args] =
    name === "xarray"
      ? [PYTHON, [join(REPO, "bench/xarray_extract.py"), store, String(runs)]]
      : [process.execPath, ["--expose-gc", "--import", "tsx", join(REPO, "bench/extract.worker.ts"), name, store, String(runs)]];
  const { code, stdout, stderr } = await run(command, args, false, { ...process.env, ...STEADY_MALLOC });
  if (code !== 0) return { missing: `failed: ${lastLine(stderr) || `exit ${code}`}` };
  const report = JSON.parse(lastLine(stdout)) as Outcome | { skipped: string };
  return "skipped" in report ? { missing: `n/a: ${report.skipped}` } : report;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

type Pick = (run: RunResult) => number | undefined;
const bySeconds: Pick = (run) => run.seconds;
const byReadSeconds: Pick = (run) => run.readSeconds;

function picked(outcome: Outcome, pick: Pick): number[] {
  return "missing" in outcome ? [] : outcome.runs.map(pick).filter((v): v is number => v !== undefined);
}

function medianOf(outcome: Outcome, pick: Pick = bySeconds): number | undefined {
  const values = picked(outcome, pick);
  return values.length ? median(values) : undefined;
}

function rowsOf(layout: ThetaLayout): number {
  return layout.shape.reduce((a, b) => a * b, 1);
}

function codecLabel({ name, config }: Compressor): string {
  return name === "blosc" ? `blosc ${config.cname} clevel ${config.clevel} shuffle ${config.shuffle}` : `zstd level ${config.level}`;
}

/** Lay rows out as a table with columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function storeRows(stores: Store[]): string[][] {
  return stores.map(({ name, path, layout }) => {
    const chunkBytes = layout.chunks.reduce((a, b) => a * b, 8);
    const thetaBytes = bytesOnDisk(join(path, "posterior/theta"));
    return [
      name,
      `Zarr v${layout.format}`,
      codecLabel(layout.compressor),
      `(${layout.chunks.join(", ")})`,
      (chunkBytes / MiB).toFixed(2),
      String(layout.chunkFiles.length),
      (thetaBytes / MiB).toFixed(1),
      (bytesOnDisk(path) / MiB).toFixed(1),
    ];
  });
}

function timeCell(outcome: Outcome, pick: Pick = bySeconds): string {
  if ("missing" in outcome) return outcome.missing.split(":")[0];
  const values = picked(outcome, pick);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return `${median(values).toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;
}

function peakCell(outcome: Outcome): string {
  return "missing" in outcome ? "" : outcome.peakMiB.toFixed(0);
}

function firstRunCell(outcome: Outcome): string {
  return "missing" in outcome ? "" : outcome.warmupSeconds.toFixed(2);
}

const MEASUREMENT_LABELS: [MeasurementName, string][] = [
  ["decode", "(a) decode floor: numcodecs on chunk bytes"],
  ["zarrita", "(b) zarrita zarr.get of theta"],
  ["drawscope", "(c) drawscope openPath + extract to Arrow"],
  ["xarray", "(d) xarray open_zarr + to_dataframe"],
];

function resultRows(stores: Store[]): string[][] {
  const rows = MEASUREMENT_LABELS.map(([name, label]) => [label, ...stores.flatMap((s) => [timeCell(s.results[name]), firstRunCell(s.results[name]), peakCell(s.results[name])])]);
  const readRow = ["    reading those chunk files (not in a)", ...stores.flatMap((s) => [timeCell(s.results.decode, byReadSeconds), "", ""])];
  return [rows[0], readRow, ...rows.slice(1)];
}

function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  return numerator !== undefined && denominator ? numerator / denominator : undefined;
}

/** A ratio and whether it meets its goal; a miss makes the bench exit with 1, so that `npm run bench` counts it. */
function ratioCell(value: number | undefined, met: (v: number) => boolean): string {
  if (value === undefined) return "n/a";
  if (!met(value)) process.exitCode = 1;
  return `${value.toFixed(2)} ${met(value) ? "met" : "NOT met"}`;
}

function ratioRows(stores: Store[]): string[][] {
  const seconds = (s: Store, name: MeasurementName) => medianOf(s.results[name]);
  const readAndDecode = (s: Store) => {
    const read = medianOf(s.results.decode, byReadSeconds);
    const decode = seconds(s, "decode");
    return read !== undefined && decode !== undefined ? read + decode : undefined;
  };
  return [
    [`c/a  drawscope vs decode floor (goal ≤ ${GOAL_FLOOR_RATIO})`, ...stores.map((s) => ratioCell(ratio(seconds(s, "drawscope"), seconds(s, "decode")), (v) => v <= GOAL_FLOOR_RATIO))],
    [
      "     same, floor counting the file reads (no goal)",
      ...stores.map((s) => {
        const value = ratio(seconds(s, "drawscope"), readAndDecode(s));
        return value === undefined ? "n/a" : value.toFixed(2);
      }),
    ],
    [`d/c  xarray vs drawscope (goal ≥ ${GOAL_XARRAY_SPEEDUP})`, ...stores.map((s) => ratioCell(ratio(seconds(s, "xarray"), seconds(s, "drawscope")), (v) => v >= GOAL_XARRAY_SPEEDUP))],
  ];
}

/** Row counts and checksums that disagree with zarrita's reading, and drawscope's row check. */
function checkNotes(stores: Store[]): string[] {
  const notes: string[] = [];
  for (const store of stores) {
    const rows = rowsOf(store.layout);
    const reference = store.results.zarrita;
    const refSum = "missing" in reference ? undefined : reference.runs[0].checksum;
    for (const [name] of MEASUREMENT_LABELS) {
      const outcome = store.results[name];
      if ("missing" in outcome) continue;
      for (const r of outcome.runs) {
        if (r.rows !== rows) notes.push(`${store.name} ${name}: ${r.rows} rows, expected ${rows}`);
        if (refSum !== undefined && Math.abs(r.checksum - refSum) > CHECKSUM_TOLERANCE) {
          notes.push(`${store.name} ${name}: sum of theta ${r.checksum}, zarrita's ${refSum}`);
        }
      }
    }
    const drawscope = store.results.drawscope;
    if (!("missing" in drawscope) && drawscope.rowCheck) notes.push(rowCheckNote(store.name, drawscope.rowCheck));
  }
  return [...new Set(notes)];
}

function rowCheckNote(store: StoreName, check: RowCheck): string {
  return check.wrong === 0
    ? `${store} drawscope: ${check.checked.toLocaleString("en")} sampled rows' labels match their theta values`
    : `${store} drawscope: ${check.wrong} of ${check.checked} sampled rows WRONG, first: ${check.firstWrong}`;
}

/** What an idle measuring process holds before its first run, which every peak includes. */
function idleNote(stores: Store[]): string {
  const idle = (name: MeasurementName) => {
    const outcome = stores[0].results[name];
    return "missing" in outcome ? "?" : outcome.idleMiB.toFixed(0);
  };
  return `peaks include the idle process: Node + tsx + libraries ${idle("zarrita")} MiB, Python + xarray ${idle("xarray")} MiB`;
}

function report(stores: Store[], options: Options, loadBefore: string): string {
  const [v2] = stores;
  const failures = stores.flatMap((s) =>
    MEASUREMENT_LABELS.flatMap(([name, label]) => {
      const outcome = s.results[name];
      return "missing" in outcome ? [`${s.name} ${label.slice(0, 3)} ${outcome.missing}`] : [];
    }),
  );
  const xarray = v2.results.xarray;
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const values = rowsOf(v2.layout);
  return [
    "",
    "drawscope extract benchmark",
    `theta (chain, draw, param) = ${v2.layout.shape.join(" x ")} ${v2.layout.dtype}: ${values.toLocaleString("en")} values, ${((values * 8) / MiB).toFixed(0)} MiB decoded`,
    `machine: ${cpus().length} x ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}${"missing" in xarray ? "" : `; ${xarray.versions}`}`,
    `load average ${loadBefore} before, ${loadavg()[0].toFixed(2)} after (other work on the machine skews the times)`,
    `time s: median (min–max) of ${options.runs} runs after a warm-up; 1st run: the warm-up, in a cold process;`,
    "peak: max RSS of the measuring process (each reader runs in its own); glibc malloc keeps freed memory (see STEADY_MALLOC)",
    "",
    table(["store", "format", "theta codec", "theta chunks", "chunk MiB", "chunks", "theta MiB on disk", "store MiB on disk"], storeRows(stores)),
    "",
    table(["measurement", ...stores.flatMap((s) => [`${s.name} time s`, `${s.name} 1st run`, `${s.name} peak MiB`])], resultRows(stores)),
    "",
    table(["ratio of median times", ...stores.map((s) => s.name)], ratioRows(stores)),
    "",
    ...[...checkNotes(stores), idleNote(stores), ...failures].map((note) => `note: ${note}`),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg()[0].toFixed(2);
  const xarrayProblem = await ensurePython();
  const dir = mkdtempSync(join(tmpdir(), "drawscope-bench-"));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  // Ctrl-C must not leave 600 MB of stores behind in the temp folder.
  process.once("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
  try {
    const paths = await buildStores(dir, options.chunks);
    const stores: Store[] = [];
    for (const name of ["v2", "v3"] as const) {
      const results = {} as Record<MeasurementName, Outcome>;
      for (const [measurement] of MEASUREMENT_LABELS) {
        progress(`${name}: ${measurement}`);
        results[measurement] =
          measurement === "xarray" && xarrayProblem ? { missing: `n/a: ${PYTHON} cannot import xarray (${xarrayProblem})` } : await measure(measurement, paths[name], options.runs);
      }
      stores.push({ name, path: paths[name], layout: readThetaLayout(paths[name]), results });
    }
    process.stdout.write(report(stores, options, loadBefore));
  } finally {
    cleanUp();
  }
}

await main();
