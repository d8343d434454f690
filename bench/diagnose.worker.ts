/**
 * One run of the diagnostics bench, in a process of its own so that its peak RSS (the engine and
 * its pool of worker threads) is that run's alone.
 *
 *   node --import tsx bench/diagnose.worker.ts STORE
 *
 * Computes the full diagnostics table of STORE's posterior (open, read, compute on a pool of one
 * worker per core) and prints one JSON line: the wall and CPU seconds (every thread), the
 * elements, a checksum of the table and the peak RSS.
 */
import { readFileSync } from "node:fs";
import { openPath } from "../src/engine/node.ts";

export interface DiagnoseRun {
  seconds: number;
  cpuSeconds: number;
  elements: number;
  /** The sum of every finite value of the table: the same for the same draws however they are read. */
  checksum: number;
  peakMiB: number;
}

/**
 * This program's peak RSS (every thread), from /proc: getrusage's maxRSS keeps the high-water mark
 * of the process that spawned this one (a bench holding its own draws), not this program's.
 */
function peakRssMiB(): number {
  const [, kB] = readFileSync("/proc/self/status", "utf8").match(/^VmHWM:\s+(\d+) kB$/m)!;
  return Number(kB) / 1024;
}

const start = performance.now();
const cpu = process.cpuUsage();
const trace = await openPath(process.argv[2]);
let checksum = 0;
const elements = await trace.diagnose(
  { kind: "group", group: "posterior" },
  {
    onBlock: ({ stats }) => {
      for (let i = 0; i < stats.length; i++) if (Number.isFinite(stats[i])) checksum += stats[i];
    },
  },
);
const used = process.cpuUsage(cpu);
const run: DiagnoseRun = {
  seconds: (performance.now() - start) / 1000,
  cpuSeconds: (used.user + used.system) / 1e6,
  elements,
  checksum,
  peakMiB: peakRssMiB(),
};
process.stdout.write(`${JSON.stringify(run)}\n`);
process.exit(0);
