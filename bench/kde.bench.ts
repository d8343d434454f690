/**
 * How long the density panel's KDE takes against sorting the same draws: 1,000 variables × 4,000
 * draws, KDE with the panel's settings (512 points, Silverman bandwidth, bounds chosen by
 * autoBounds) against a copy of each variable sorted as a Float64Array (copies made outside the
 * timed region). The goal: the KDE costs at most half the sort.
 *
 *   npx tsx bench/kde.bench.ts [--runs=N]
 */
import { autoBounds, kde, uniforms } from "../src/engine/node.ts";

const VARIABLES = 1000;
const DRAWS = 4000;
const POINTS = 512;
const WARMUP = 3;
const GOAL_RATIO = 0.5;

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Marsaglia and Tsang's gamma(shape, 1) draw (shape < 1 through the boost u^(1/shape)). */
function gamma(uniform: () => number, shape: number): number {
  if (shape < 1) return gamma(uniform, shape + 1) * uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(uniform);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Half the variables normal (location and scale vary), half gamma (positive, like scales). */
function makeDraws(): Float64Array[] {
  const uniform = uniforms(20240607);
  return Array.from({ length: VARIABLES }, (_, v) => {
    const draws = new Float64Array(DRAWS);
    if (v % 2 === 0) {
      const location = 10 * (uniform() - 0.5);
      const scale = 0.1 + 3 * uniform();
      for (let i = 0; i < DRAWS; i++) draws[i] = location + scale * normal(uniform);
    } else {
      const shape = 0.5 + 5 * uniform();
      const scale = 0.2 + 2 * uniform();
      for (let i = 0; i < DRAWS; i++) draws[i] = scale * gamma(uniform, shape);
    }
    return draws;
  });
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeKde(variables: Float64Array[]): { ms: number; checksum: number } {
  let checksum = 0;
  const start = performance.now();
  for (const draws of variables) {
    const estimate = kde(draws, { points: POINTS, ...autoBounds([draws], "x").bounds });
    checksum += estimate.density[POINTS >> 1];
  }
  return { ms: performance.now() - start, checksum };
}

function timeSort(variables: Float64Array[]): { ms: number; checksum: number } {
  const copies = variables.map((draws) => draws.slice());
  const start = performance.now();
  for (const copy of copies) copy.sort();
  const ms = performance.now() - start;
  return { ms, checksum: copies.reduce((a, c) => a + c[DRAWS >> 1], 0) };
}

function main(): void {
  const runsArg = process.argv.find((a) => a.startsWith("--runs="));
  const runs = runsArg ? Number(runsArg.slice("--runs=".length)) : 15;
  const variables = makeDraws();
  const bounded = variables.filter((d) => autoBounds([d], "x").bounds.lower === 0).length;
  const kdeTimes: number[] = [];
  const sortTimes: number[] = [];
  const ratios: number[] = [];
  // Alternate the two, and compare each KDE run with the sort run right after it, so that a
  // machine busy with other work slows both sides of a ratio alike.
  for (let run = 0; run < WARMUP + runs; run++) {
    const k = timeKde(variables);
    const s = timeSort(variables);
    if (!Number.isFinite(k.checksum) || !Number.isFinite(s.checksum)) throw new Error("a KDE or sort gave a non-finite value");
    if (run >= WARMUP) {
      kdeTimes.push(k.ms);
      sortTimes.push(s.ms);
      ratios.push(k.ms / s.ms);
    }
  }
  const kdeMs = median(kdeTimes);
  const sortMs = median(sortTimes);
  const ratio = median(ratios);
  const lines = [
    `KDE bench: ${VARIABLES} variables × ${DRAWS} draws (${bounded} bounded below at 0 by autoBounds), ${POINTS} grid points, median of ${runs} runs after ${WARMUP} warm-up runs`,
    `  KDE of all variables:   ${kdeMs.toFixed(1)} ms (${((1000 * kdeMs) / VARIABLES).toFixed(1)} µs per variable)`,
    `  sort of the same draws: ${sortMs.toFixed(1)} ms (${((1000 * sortMs) / VARIABLES).toFixed(1)} µs per variable)`,
    `  ratio KDE / sort (median of the runs' ratios): ${ratio.toFixed(3)}, range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)} (goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? "met" : "NOT met"})`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (ratio > GOAL_RATIO) process.exitCode = 1;
}

main();
