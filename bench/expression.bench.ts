/**
 * How long an expression of the query takes against a hand-written loop over the same arrays:
 * `exp(a) * b + a / b - 1` (five operations) over 40,000,000 rows of two float64 columns, compiled
 * once and run as the engine runs it (one record batch of at most 4,194,304 rows at a time),
 * against one JavaScript loop computing the same. Runs alternate, each pair's ratio taken in the
 * same moment of the machine's load, and the values must be equal. The goal: the expression takes
 * at most twice the loop (the median of the pairs' ratios).
 *
 *   npx tsx bench/expression.bench.ts [--runs=N] [--rows=N]
 */
import { compile, parseDerived, run, uniforms } from "../src/engine/node.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const ROWS = arg("rows", 40_000_000);
const RUNS = arg("runs", 7);
const BATCH_ROWS = 1 << 22;
const GOAL = 2;
const EXPRESSION = "exp(a) * b + a / b - 1";

const uniform = uniforms(15);
const a = Float64Array.from({ length: ROWS }, () => 4 * uniform() - 2);
const b = Float64Array.from({ length: ROWS }, () => 0.5 + uniform());

function handWritten(out: Float64Array): void {
  for (let i = 0; i < ROWS; i++) out[i] = Math.exp(a[i]) * b[i] + a[i] / b[i] - 1;
}

const { expr } = parseDerived(EXPRESSION, 0, EXPRESSION.length);
const program = compile(expr, (node) => (node.spec.name.text === "a" ? 0 : 1));

function compiled(out: Float64Array): void {
  for (let from = 0; from < ROWS; from += BATCH_ROWS) {
    const to = Math.min(ROWS, from + BATCH_ROWS);
    const columns = [a, b].map((c) => ({ kind: "number" as const, data: c.subarray(from, to) }));
    run(program, columns, to - from, out.subarray(from, to));
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const print = (line: string) => process.stdout.write(`${line}\n`);

const loopOut = new Float64Array(ROWS);
const exprOut = new Float64Array(ROWS);
const loopMs: number[] = [];
const exprMs: number[] = [];
// One warm-up run of each, then alternating timed runs.
handWritten(loopOut);
compiled(exprOut);
for (let r = 0; r < RUNS; r++) {
  let start = performance.now();
  handWritten(loopOut);
  loopMs.push(performance.now() - start);
  start = performance.now();
  compiled(exprOut);
  exprMs.push(performance.now() - start);
}
let differ = 0;
for (let i = 0; i < ROWS; i++) if (loopOut[i] !== exprOut[i]) differ++;
const ratios = exprMs.map((ms, r) => ms / loopMs[r]);
const ratio = median(ratios);
print(`${EXPRESSION} over ${ROWS.toLocaleString("en-US")} rows: expression ${(median(exprMs) / 1000).toFixed(2)} s, hand-written loop ${(median(loopMs) / 1000).toFixed(2)} s (medians of ${RUNS})`);
print(`values equal to the loop's: ${differ === 0 ? "all" : `${differ} differ`}`);
print(`ratio expression / loop, median of the ${RUNS} pairs' ratios: ${ratio.toFixed(2)}, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} (goal ≤ ${GOAL})`);
if (differ > 0 || !(ratio <= GOAL)) process.exitCode = 1;
