/**
 * PSIS-LOO of 10,000 observations × 4 chains × 1,000 draws: drawscope (open the store, read the
 * log-likelihood, r_eff by relative_eff and PSIS-LOO on a pool of one worker per core) against R
 * loo's relative_eff and loo on the same draws in one run (Debian's r-cran-loo, when installed),
 * both with r_eff by chains as loo.R's goldens compute it. The goal: drawscope at least 20 times
 * faster, with the same values (elpd_loo to 1e-6 relative, k to 1e-6 absolute).
 *
 *   npx tsx bench/loo.bench.ts [--runs=N] [--observations=N]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { openPath, uniforms } from "../src/engine/node.ts";
import { asBytes, dims, sampleCoordinates, writeStoreFolder, zarray } from "../tests/memory-store.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const N = arg("observations", 10_000);
const RUNS = arg("runs", 3);
const CHAINS = 4;
const DRAWS = 1000;
const GOAL = 20;
const CHUNK = Math.min(N, 2500);

/**
 * A normal model's pointwise log-likelihood in C order (chain, draw, observation): mu and log
 * sigma drawn as AR(1) chains (autocorrelation 0.6, so r_eff is below 1), data from the model with
 * every 500th observation an outlier, so that some Pareto k are high.
 */
function makeLogLik(): Float64Array {
  const uniform = uniforms(2027);
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const y = Float64Array.from({ length: N }, (_, i) => (i % 500 === 0 ? 6 : normal()));
  const ll = new Float64Array(CHAINS * DRAWS * N);
  const rho = 0.6;
  const scale = Math.sqrt(1 - rho * rho);
  for (let c = 0; c < CHAINS; c++) {
    let mu = 0;
    let logSigma = 0;
    for (let d = 0; d < DRAWS; d++) {
      mu = rho * mu + scale * 0.01 * normal();
      logSigma = rho * logSigma + scale * 0.01 * normal();
      const sigma = Math.exp(logSigma);
      const at = (c * DRAWS + d) * N;
      for (let i = 0; i < N; i++) {
        const z = (y[i] - mu) / sigma;
        ll[at + i] = -0.5 * Math.log(2 * Math.PI) - logSigma - 0.5 * z * z;
      }
    }
  }
  return ll;
}

function writeStore(ll: Float64Array): string {
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ".zgroup": { zarr_format: 2 },
    "log_likelihood/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("log_likelihood", CHAINS, DRAWS),
    "log_likelihood/obs/.zarray": zarray("<i8", [N], [N]),
    "log_likelihood/obs/.zattrs": dims("obs"),
    "log_likelihood/obs/0": asBytes(BigInt64Array.from({ length: N }, (_, i) => BigInt(i))),
    "log_likelihood/y/.zarray": zarray("<f8", [CHAINS, DRAWS, N], [1, DRAWS, CHUNK]),
    "log_likelihood/y/.zattrs": dims("chain", "draw", "obs"),
  };
  for (let c = 0; c < CHAINS; c++) {
    for (let k = 0; k * CHUNK < N; k++) {
      const block = new Float64Array(DRAWS * CHUNK);
      for (let d = 0; d < DRAWS; d++) block.set(ll.subarray((c * DRAWS + d) * N + k * CHUNK, (c * DRAWS + d) * N + (k + 1) * CHUNK), d * CHUNK);
      files[`log_likelihood/y/${c}.0.${k}`] = asBytes(block);
    }
  }
  return writeStoreFolder("loo-bench.zarr", files, true);
}

function hasR(): boolean {
  try {
    execFileSync("Rscript", ["-e", "suppressMessages({library(loo); library(jsonlite)})"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const print = (line: string) => process.stdout.write(`${line}\n`);

const ll = makeLogLik();
const store = writeStore(ll);
print(`PSIS-LOO of ${N.toLocaleString("en-US")} observations × ${CHAINS}×${DRAWS} draws (r_eff by relative_eff), ${availableParallelism()} workers`);
const seconds: number[] = [];
let result = await (await openPath(store)).loo();
for (let r = 0; r < RUNS; r++) {
  const start = performance.now();
  result = await (await openPath(store)).loo();
  seconds.push((performance.now() - start) / 1000);
}
const ours = median(seconds);
print(`drawscope (open, read, r_eff, PSIS-LOO): median ${ours.toFixed(2)} s over ${RUNS} runs (${seconds.map((s) => s.toFixed(2)).join(", ")})`);
print(
  `  elpd_loo ${result.elpd_loo.estimate.toFixed(3)} (SE ${result.elpd_loo.se.toFixed(3)}), p_loo ${result.p_loo.estimate.toFixed(3)}, k > ${result.kThreshold.toFixed(2)}: ${result.pointwise.pareto_k.filter((k) => k > result.kThreshold).length}`,
);
if (hasR()) {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-loo-r-"));
  writeFileSync(join(dir, "ll.f64"), asBytes(ll));
  const out = join(dir, "r.json");
  const rSeconds = Number(execFileSync("Rscript", [join(import.meta.dirname, "loo.R"), join(dir, "ll.f64"), `${CHAINS}`, `${DRAWS}`, `${N}`, out], { encoding: "utf8" }).trim());
  const r = JSON.parse(readFileSync(out, "utf8")) as { elpd_loo: number; se_elpd_loo: number; p_loo: number; looic: number; elpd_pointwise: number[]; pareto_k: number[] };
  let elpd = 0;
  let k = 0;
  r.elpd_pointwise.forEach((v, i) => (elpd = Math.max(elpd, Math.abs(result.pointwise.elpd_loo[i] - v) / Math.abs(v))));
  r.pareto_k.forEach((v, i) => (k = Math.max(k, Math.abs(result.pointwise.pareto_k[i] - v))));
  const estimate = Math.abs(result.elpd_loo.estimate - r.elpd_loo) / Math.abs(r.elpd_loo);
  print(`R loo 2.5.1 relative_eff + loo (cores = 1): ${rSeconds.toFixed(2)} s`);
  print(`largest difference from R: pointwise elpd_loo ${elpd.toExponential(2)} relative, elpd_loo ${estimate.toExponential(2)} relative, k ${k.toExponential(2)} absolute (goal ≤ 1e-6)`);
  print(`ratio R / drawscope: ${(rSeconds / ours).toFixed(1)}× (goal ≥ ${GOAL}×)`);
  rmSync(dir, { recursive: true, force: true });
  if (!(elpd <= 1e-6 && estimate <= 1e-6 && k <= 1e-6)) process.exitCode = 1;
  if (!(rSeconds / ours >= GOAL)) process.exitCode = 1;
} else {
  print("R loo is not installed (Debian: apt-get install r-cran-loo r-cran-jsonlite): no ratio");
}
if (!process.argv.includes("--keep")) rmSync(dirname(store), { recursive: true, force: true });
else print(`store kept: ${store}`);
process.exit(process.exitCode ?? 0);
