/**
 * One measurement of the extract benchmark, in a process of its own so that its peak RSS is its own.
 *
 *   node --expose-gc --import tsx bench/extract.worker.ts <decode|zarrita|drawscope> STORE RUNS
 *
 * Does one warm-up run (JIT, wasm compilation, page cache), then RUNS timed runs with a full GC
 * before each, and prints one JSON line: the run times, the peak RSS, and a row count and checksum
 * of theta that the parent compares across measurements. drawscope's last table is also checked
 * row by row against zarrita, after the peak RSS is taken.
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import FileSystemStore from "@zarrita/storage/fs";
import type { Table } from "apache-arrow";
import * as zarr from "zarrita";
import { makeCodec, readThetaLayout, THETA } from "./theta-store.ts";

/** What a run hands back: its timings and a summary of what it produced, never the data itself. */
export interface RunResult {
  seconds: number;
  /** Decode floor only: reading the chunk files, which `seconds` leaves out. */
  readSeconds?: number;
  rows: number;
  checksum: number;
}

/** Rows of drawscope's table compared, label by label, with zarrita's reading of the same cell. */
export interface RowCheck {
  checked: number;
  wrong: number;
  firstWrong?: string;
}

export interface WorkerReport {
  runs: RunResult[];
  warmupSeconds: number;
  /** RSS after imports, before the first run: Node, tsx and the libraries. */
  idleMiB: number;
  peakMiB: number;
  rowCheck?: RowCheck;
}

/** A run's result, and for drawscope a check of its output that runs after the peak RSS is taken. */
interface Run {
  result: RunResult;
  check?: () => Promise<RowCheck>;
}

type Measurement = (store: string) => Promise<Run>;

function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** (a) The floor: decompress theta's chunk files into fresh buffers; reading them is timed apart. */
const decodeFloor: Measurement = async (store) => {
  const layout = readThetaLayout(store);
  const codec = makeCodec(layout.compressor);
  const readStart = performance.now();
  const compressed = await Promise.all(layout.chunkFiles.map((file) => readFile(file)));
  const decodeStart = performance.now();
  const decoded: Uint8Array[] = [];
  for (const bytes of compressed) decoded.push(await codec.decode(bytes));
  const end = performance.now();
  const values = decoded.map((bytes) => new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8));
  return {
    result: {
      seconds: (end - decodeStart) / 1000,
      readSeconds: (decodeStart - readStart) / 1000,
      rows: values.reduce((n, v) => n + v.length, 0),
      checksum: values.reduce((sum, v) => sum + sumOf(v), 0),
    },
  };
};

async function readWithZarrita(store: string): Promise<Float64Array> {
  const format = readThetaLayout(store).format === 2 ? "v2" : "v3";
  const root = zarr.root(await zarr.withConsolidatedMetadata(new FileSystemStore(store), { format }));
  const theta = await zarr.open(root.resolve(THETA), { kind: "array" });
  return (await zarr.get(theta)).data as Float64Array;
}

/** (b) zarrita reading the whole of theta, opened through the store's consolidated metadata. */
const zarritaGet: Measurement = async (store) => {
  const start = performance.now();
  const values = await readWithZarrita(store);
  const seconds = (performance.now() - start) / 1000;
  return { result: { seconds, rows: values.length, checksum: sumOf(values) } };
};

/** Rows spread evenly over the table, plus its last, so every chunk of theta is visited. */
function sampleRows(numRows: number, count: number): number[] {
  const step = Math.max(1, Math.floor(numRows / count));
  const rows: number[] = [];
  for (let row = 0; row < numRows; row += step) rows.push(row);
  return [...rows, numRows - 1];
}

/**
 * Check the table's labels against its values. make_store.py names chain c and draw d by their
 * own index and param p by "p%05d", so a row's labels say which cell of theta its value must be.
 */
async function checkRows(table: Table, store: string): Promise<RowCheck> {
  const expected = await readWithZarrita(store);
  const [, draws, params] = readThetaLayout(store).shape;
  const column = (name: string) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`the table has no ${name} column: ${table.schema.names.join(", ")}`);
    return vector;
  };
  const [chain, draw, param, theta] = ["chain", "draw", "param", "theta"].map(column);
  const rows = sampleRows(table.numRows, 100_000);
  let wrong = 0;
  let firstWrong: string | undefined;
  for (const row of rows) {
    const [c, d, p] = [Number(chain.get(row)), Number(draw.get(row)), Number(String(param.get(row)).slice(1))];
    const want = expected[(c * draws + d) * params + p];
    if (Object.is(theta.get(row), want)) continue;
    wrong++;
    firstWrong ??= `row ${row} (chain ${c}, draw ${d}, param ${param.get(row)}): theta ${theta.get(row)}, store has ${want}`;
  }
  return { checked: rows.length, wrong, firstWrong };
}

/** (c) drawscope: open the folder and extract theta to a tidy Arrow table. */
const drawscopeExtract: Measurement = async (store) => {
  // Imported here so that the other measurements run while the engine is broken or missing.
  const { openPath } = await import("../src/engine/node.ts");
  const start = performance.now();
  const trace = await openPath(store);
  const table = await trace.extract(["theta[param]"]);
  const seconds = (performance.now() - start) / 1000;
  const theta = table.getChild("theta");
  if (!theta) throw new Error(`the table has no theta column: ${table.schema.names.join(", ")}`);
  const checksum = theta.data.reduce((sum, chunk) => sum + sumOf((chunk.values as Float64Array).subarray(chunk.offset, chunk.offset + chunk.length)), 0);
  return { result: { seconds, rows: table.numRows, checksum }, check: () => checkRows(table, store) };
};

const MEASUREMENTS: Record<string, Measurement> = {
  decode: decodeFloor,
  zarrita: zarritaGet,
  drawscope: drawscopeExtract,
};

function rssMiB(kilobytes: number): number {
  return kilobytes / 1024;
}

async function main(): Promise<void> {
  const [mode, store, runsArg] = process.argv.slice(2);
  const measure = MEASUREMENTS[mode];
  const count = Number(runsArg);
  if (!measure || !store || !(count >= 1)) {
    throw new Error("usage: extract.worker.ts <decode|zarrita|drawscope> STORE RUNS");
  }
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with node --expose-gc so that runs do not pay for each other's garbage");
  const idleMiB = rssMiB(process.resourceUsage().maxRSS);
  const warmupSeconds = (await measure(store)).result.seconds;
  const results: RunResult[] = [];
  let last: Run | undefined;
  for (let i = 0; i < count; i++) {
    // Let go of the previous run's output first, so that it neither adds to this run's peak nor is collected inside it.
    last = undefined;
    collect();
    last = await measure(store);
    results.push(last.result);
  }
  const peakMiB = rssMiB(process.resourceUsage().maxRSS);
  const rowCheck = await last?.check?.();
  const report: WorkerReport = { runs: results, warmupSeconds, idleMiB, peakMiB, rowCheck };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main().catch((error: unknown) => {
  // The parent shows the last line of a failed measurement's stderr, so make that line the error.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
