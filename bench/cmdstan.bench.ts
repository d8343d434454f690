/**
 * How fast CmdStan CSV files are read: a run of 4 chains × 1000 draws × 10,000 parameters (written
 * once by cmdstan-files.ts under the temp directory), against the floor of scanning the same bytes
 * for delimiters (commas and line feeds) in the same process. Two comparisons, runs of floor and
 * parse alternating:
 *   - files: openCmdStan on the four files, read in slices as the app reads dropped files, every
 *     value parsed exactly into float64; the floor reads the same slices and counts delimiters;
 *   - in memory: one file's text already in memory, in the same blocks of whole lines, through
 *     the chain parser alone; the floor counts the delimiters of those blocks.
 * Times are wall-clock medians, with the process's CPU time (less disturbed by other work on the
 * machine) beside them. The goal: parsing at ≥ 0.5× the floor's MB/s.
 *
 *   npx tsx bench/cmdstan.bench.ts [--runs=N] [--parameters=N] [--draws=N]
 */
import { openAsBlob, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { blobFile, ChainParser, lineBlocks, openCmdStan } from "../src/engine/node.ts";
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

function countDelimiters(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === COMMA || b === LF) count++;
  }
  return count;
}

interface Timing {
  wall: number;
  cpu: number;
}

async function timed(work: () => Promise<unknown> | unknown): Promise<Timing> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** Alternate runs of the floor and the parse; their medians. */
async function compare(runs: number, floor: () => Promise<unknown> | unknown, parse: () => Promise<unknown> | unknown) {
  const floors: Timing[] = [];
  const parses: Timing[] = [];
  for (let run = 0; run < runs; run++) {
    floors.push(await timed(floor));
    parses.push(await timed(parse));
  }
  const of = (timings: Timing[]) => ({ wall: median(timings.map((t) => t.wall)), cpu: median(timings.map((t) => t.cpu)) });
  return { floor: of(floors), parse: of(parses) };
}

function report(title: string, megabytes: number, result: Awaited<ReturnType<typeof compare>>): string {
  const rate = (seconds: number) => `${(megabytes / seconds).toFixed(0)} MB/s`;
  const line = (name: string, t: Timing) => `    ${name} ${t.wall.toFixed(2)} s, ${rate(t.wall)} (CPU ${t.cpu.toFixed(2)} s, ${rate(t.cpu)})\n`;
  const ratio = result.floor.wall / result.parse.wall;
  const cpuRatio = result.floor.cpu / result.parse.cpu;
  return (
    `  ${title}, ${megabytes.toFixed(0)} MB:\n` +
    line("floor (count commas and line feeds):", result.floor) +
    line("parse (every value into float64):   ", result.parse) +
    `    ratio ${ratio.toFixed(2)} of the floor (by CPU time ${cpuRatio.toFixed(2)}); goal ≥ ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? "met" : "NOT met"}\n`
  );
}

async function main(): Promise<void> {
  const runs = option("runs", 3);
  const size = { chains: 4, draws: option("draws", 1000), parameters: option("parameters", 10_000) };
  const dir = join(tmpdir(), "drawscope-bench", `cmdstan-${size.chains}x${size.draws}x${size.parameters}`);
  process.stderr.write(`writing or reusing ${dir} …\n`);
  const paths = cmdstanRun(dir, size);
  const files = await Promise.all(paths.map(async (path) => blobFile(basename(path), await openAsBlob(path))));
  const total = files.reduce((a, f) => a + f.size!, 0) / 1e6;

  const streamed = await compare(
    runs,
    async () => {
      let count = 0;
      for (const file of files) for await (const chunk of file.chunks()) count += countDelimiters(chunk);
      return count;
    },
    () => openCmdStan(files, "bench"),
  );

  const text = readFileSync(paths[0]);
  const blocks: Uint8Array[] = [];
  for await (const block of lineBlocks(blobFile("text", new Blob([text])).chunks())) blocks.push(block.slice());
  const inMemory = await compare(
    runs,
    () => blocks.reduce((a, block) => a + countDelimiters(block), 0),
    () => {
      const parser = new ChainParser("output_1.csv");
      for (const block of blocks) parser.push(block);
      return parser.finish().rows;
    },
  );

  process.stdout.write(
    `CmdStan CSV, ${size.chains} chains × ${size.draws} draws × ${size.parameters.toLocaleString("en-US")} parameters (median of ${runs} runs)\n` +
      report(`files (${files.length}, streamed in slices, openCmdStan)`, total, streamed) +
      report("in memory (one file's text, the chain parser alone)", text.length / 1e6, inMemory) +
      `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
  );
  // A missed goal fails the bench, so that npm run bench's closing line names it.
  if ([streamed, inMemory].some((r) => r.floor.wall / r.parse.wall < GOAL_RATIO)) process.exitCode = 1;
}

await main();
