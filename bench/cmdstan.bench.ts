/**
 * How fast CmdStan CSV files are read: a run of 4 chains × 1000 draws × 10,000 parameters (written
 * once by cmdstan-files.ts under /tmp/drawscope-bench), read with the engine's openCmdStan — the
 * files streamed in slices, every value parsed exactly into float64 — against the floor of
 * streaming the same bytes the same way and only counting their delimiters (commas and line
 * feeds), in the same process, runs of the two alternating. The goal: parsing at ≥ 0.5× the
 * floor's MB/s.
 *
 *   npx tsx bench/cmdstan.bench.ts [--runs=N] [--parameters=N] [--draws=N]
 */
import { openAsBlob } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { blobFile, type CsvFile } from "../src/engine/cmdstan/csv-file.ts";
import { openCmdStan } from "../src/engine/cmdstan/open.ts";
import { cmdstanRun } from "./cmdstan-files.ts";

const GOAL_RATIO = 0.5;
const COMMA = 44;
const LF = 10;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The floor: the files' bytes read as the parser reads them, and each one looked at once. */
async function countDelimiters(files: CsvFile[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    for await (const chunk of file.chunks()) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === COMMA || b === LF) count++;
      }
    }
  }
  return count;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { seconds: (performance.now() - start) / 1000, result };
}

async function main(): Promise<void> {
  const runs = option("runs", 3);
  const size = { chains: 4, draws: option("draws", 1000), parameters: option("parameters", 10_000) };
  const dir = join(tmpdir(), "drawscope-bench", `cmdstan-${size.chains}x${size.draws}x${size.parameters}`);
  process.stderr.write(`writing or reusing ${dir} …\n`);
  const paths = cmdstanRun(dir, size);
  const files = await Promise.all(paths.map(async (path) => blobFile(basename(path), await openAsBlob(path))));
  const megabytes = files.reduce((a, f) => a + f.size!, 0) / 1e6;

  const floor: number[] = [];
  const parse: number[] = [];
  for (let run = 0; run < runs; run++) {
    const counted = await timed(() => countDelimiters(files));
    floor.push(counted.seconds);
    const opened = await timed(() => openCmdStan(files, "bench"));
    parse.push(opened.seconds);
    process.stderr.write(`run ${run + 1}: floor ${counted.seconds.toFixed(2)} s (${counted.result} delimiters), parse ${opened.seconds.toFixed(2)} s\n`);
  }
  const floorRate = megabytes / median(floor);
  const parseRate = megabytes / median(parse);
  const ratio = parseRate / floorRate;
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `CmdStan CSV, ${size.chains} chains × ${size.draws} draws × ${size.parameters.toLocaleString("en-US")} parameters, ${megabytes.toFixed(0)} MB (median of ${runs} runs)\n` +
      `  floor (stream the bytes, count commas and line feeds): ${median(floor).toFixed(2)} s, ${floorRate.toFixed(0)} MB/s\n` +
      `  openCmdStan (parse every value into float64):          ${median(parse).toFixed(2)} s, ${parseRate.toFixed(0)} MB/s\n` +
      `  ratio ${ratio.toFixed(2)} of the floor (goal ≥ ${GOAL_RATIO}): ${ratio >= GOAL_RATIO ? "met" : "NOT met"}; peak RSS ${peak.toFixed(0)} MB\n`,
  );
}

await main();
