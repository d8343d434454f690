/**
 * A CmdStan run written the way CmdStan 2.37's sample method writes it with sig_figs=17: for each
 * chain a CSV file of configuration comments, the header (the sampler's seven columns, then
 * theta.1 … theta.N), the adaptation comments, one row per draw, and the timing comments.
 * Values are printed as C's "%.17g" prints them. Written once and reused while the sizes match.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { uniforms } from "../src/engine/node.ts";

export interface RunSize {
  chains: number;
  draws: number;
  parameters: number;
}

/** `x` as C's printf("%.17g") writes it: 17 significant digits, trailing zeros dropped, exponent form outside 1e-4 … 1e17. */
export function formatG17(x: number): string {
  if (x === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  if (exponent < -4 || exponent >= 17) {
    const [mantissa, power] = x.toExponential(16).split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const sign = power.startsWith("-") ? "-" : "+";
    return `${trimmed}e${sign}${power.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  const text = x.toPrecision(17);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function configuration(chain: number, size: RunSize): string {
  return [
    "stan_version_major = 2",
    "stan_version_minor = 37",
    "stan_version_patch = 0",
    "model = wide_model",
    "method = sample (Default)",
    "  sample",
    `    num_samples = ${size.draws}`,
    "    num_warmup = 1000 (Default)",
    "    save_warmup = false (Default)",
    "    thin = 1 (Default)",
    "    algorithm = hmc (Default)",
    "      hmc",
    "        engine = nuts (Default)",
    "        metric = diag_e (Default)",
    `id = ${chain} (Default)`,
    "output",
    `  file = output_${chain}.csv`,
    "  sig_figs = 17",
  ]
    .map((line) => `# ${line}\n`)
    .join("");
}

function writeChain(path: string, chain: number, size: RunSize): void {
  const uniform = uniforms(1000 + chain);
  const means = Array.from({ length: size.parameters }, (_, j) => 10 * Math.sin(j));
  const scales = Array.from({ length: size.parameters }, (_, j) => 0.01 + 3 * Math.abs(Math.cos(j)));
  const file = openSync(path, "w");
  try {
    const names = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];
    for (let j = 1; j <= size.parameters; j++) names.push(`theta.${j}`);
    writeSync(file, `${configuration(chain, size) + names.join(",")}\n`);
    const metric = scales.map((s) => (s * s).toPrecision(6)).join(", ");
    writeSync(file, `# Adaptation terminated\n# Step size = 0.0312\n# Diagonal elements of inverse mass matrix:\n# ${metric}\n`);
    for (let draw = 0; draw < size.draws; draw++) {
      const depth = 3 + Math.floor(uniform() * 4);
      const row = [
        formatG17(-size.parameters + 10 * normal(uniform)),
        formatG17(uniform()),
        "0.031199999999999999",
        String(depth),
        String(2 ** depth - 1),
        uniform() < 0.001 ? "1" : "0",
        formatG17(size.parameters + 10 * normal(uniform)),
      ];
      for (let j = 0; j < size.parameters; j++) row.push(formatG17(means[j] + scales[j] * normal(uniform)));
      writeSync(file, `${row.join(",")}\n`);
    }
    writeSync(file, "# \n#  Elapsed Time: 91.2 seconds (Warm-up)\n#                83.7 seconds (Sampling)\n#                174.9 seconds (Total)\n# \n");
  } finally {
    closeSync(file);
  }
}

/** The run's files in `dir` (written now unless a previous call left them for the same size). */
export function cmdstanRun(dir: string, size: RunSize): string[] {
  const stamp = join(dir, "size.json");
  const paths = Array.from({ length: size.chains }, (_, k) => join(dir, `output_${k + 1}.csv`));
  const wanted = JSON.stringify(size);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted && paths.every((p) => existsSync(p))) return paths;
  mkdirSync(dir, { recursive: true });
  paths.forEach((path, k) => writeChain(path, k + 1, size));
  writeFileSync(stamp, wanted);
  return paths;
}
