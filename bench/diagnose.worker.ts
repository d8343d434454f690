/**
 * One measurement of the diagnostics bench, in a process of its own so that its peak RSS (the
 * engine and its pool of worker threads) is its own.
 *
 *   node --import tsx bench/diagnose.worker.ts STORE RUNS
 *
 * Times RUNS full diagnostics tables of STORE's posterior (open, read, compute on a pool of one
 * worker per core) and prints one JSON line: per run the wall and CPU seconds (every thread), the
 * elements and a checksum of the table; the peak RSS over all runs.
 */
import { openPath } from "../src/engine/store/node.ts";

export interface DiagnoseRun {
  seconds: number;
  cpuSeconds: number;
  elements: number;
  /** The sum of every finite value of the table: the same for the same draws however they are read. */
  checksum: number;
}

export interface DiagnoseReport {
  runs: DiagnoseRun[];
  peakMiB: number;
}

async function runOnce(store: string): Promise<DiagnoseRun> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const trace = await openPath(store);
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
  return { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, elements, checksum };
}

const [store, runs] = process.argv.slice(2);
const report: DiagnoseReport = { runs: [], peakMiB: 0 };
for (let r = 0; r < Number(runs); r++) report.runs.push(await runOnce(store));
report.peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
