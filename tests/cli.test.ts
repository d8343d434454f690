import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { describeError } from "../src/cli/report.ts";
import { toCsv } from "../src/engine/csv.ts";
import { FIXTURES, expectSameRows, goldenCases, goldenCsv, parseCsv } from "./golden.ts";

const CLI = join(import.meta.dirname, "..", "src", "cli", "draws.ts");
const SUMMARIZE = join(import.meta.dirname, "..", "src", "cli", "summarize.ts");
const scratch = mkdtempSync(join(tmpdir(), "drawscope-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function command(script: string, args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const draws = (...args: string[]) => command(CLI, args);
const summarize = (...args: string[]) => command(SUMMARIZE, args);

describe("draws CLI", () => {
  for (const [expected, store] of [
    ["grouped_regression.expected", "grouped_regression.zarr"],
    ["arviz/centered_eight.expected", "arviz/centered_eight.zarr"],
    ["grouped_regression.expected", "grouped_regression.nc"],
  ]) {
    for (const c of goldenCases(expected)) {
      it(`reproduces ${expected}/${c.table} (${c.specs.join(", ")} from ${c.group})`, () => {
        const groupArgs = c.group === "posterior" ? [] : ["--group", c.group];
        const run = draws(join(FIXTURES, store), ...c.specs, ...groupArgs);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expectSameRows(parseCsv(run.stdout), goldenCsv(expected, c.table), c.columns.length - c.specs.length);
      });

      it(`writes ${expected}/${c.table} as an Arrow file with the same rows as its CSV`, () => {
        const groupArgs = c.group === "posterior" ? [] : ["--group", c.group];
        const out = join(scratch, `${c.table}.arrow`);
        const run = draws(join(FIXTURES, store), ...c.specs, ...groupArgs, "--format", "arrow", "--out", out);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        const table = tableFromIPC(readFileSync(out));
        expect(table.schema.names).toEqual(c.columns);
        expectSameRows(parseCsv(toCsv(table)), goldenCsv(expected, c.table), c.columns.length - c.specs.length);
      });
    }
  }

  it("takes several specs in one comma-separated argument", () => {
    const run = draws(join(FIXTURES, "grouped_regression.v3.zarr.zip"), "beta[groups], sigma");
    expect(run.code).toBe(0);
    expectSameRows(parseCsv(run.stdout), goldenCsv("grouped_regression.expected", "case02.csv.gz"), 3);
  });

  it("stacks groups with a source column", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "beta[groups]", "--group", "posterior", "--group", "prior");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe("source,chain,draw,groups,beta");
    expect(lines.length - 1).toBe(6400 + 1600);
    expect(lines.filter((l) => l.startsWith("prior,")).length).toBe(1600);
  });

  it("writes an Arrow IPC file that reads back", () => {
    const out = join(scratch, "beta.arrow");
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "beta[groups], intercept[groups]", "--format", "arrow", "--out", out);
    expect(run.code).toBe(0);
    const table = tableFromIPC(readFileSync(out));
    expect(table.numRows).toBe(6400);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["chain:Uint8", "draw:Uint16", "groups:Dictionary<Int8, Utf8>", "beta:Float64", "intercept:Float64"]);
    expect(table.get(0)!.toJSON()).toEqual({ chain: 0, draw: 0, groups: "North", beta: 0.35074762718133845, intercept: -1.3222219758110829 });
  });

  it("--out writes the bytes standard output gets, Arrow and CSV", () => {
    // mu[obs_ind] is 153,600 rows in 4 chunks: an Arrow file of several batches, its length not whole 4096-byte blocks.
    for (const format of ["arrow", "csv"]) {
      const args = [join(FIXTURES, "grouped_regression.zarr"), "mu[obs_ind]", "--format", format];
      const out = join(scratch, `mu-out.${format}`);
      expect(draws(...args, "--out", out).code).toBe(0);
      const piped = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { maxBuffer: 1 << 28 });
      expect(piped.status).toBe(0);
      const written = readFileSync(out);
      expect(written.length % 4096).not.toBe(0);
      expect(written.equals(piped.stdout)).toBe(true);
    }
    expect(tableFromIPC(readFileSync(join(scratch, "mu-out.arrow"))).numRows).toBe(153600);
  });

  it("--out into a folder that does not exist is an error, exit code 2", () => {
    const out = join(scratch, "missing", "sigma.csv");
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "sigma", "--out", out);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: cannot write ${out} (ENOENT: no such file or directory, open '${out}')\n`);
  });

  it("--stats prints the chunks, arrays and bytes read, the rows and the time", () => {
    // mu (4 × 400 × 96) is stored in 2 × 2 chunks along chain and draw, each holding every obs_ind.
    const one = draws(join(FIXTURES, "grouped_regression.zarr"), "mu[obs_ind=5]", "--stats");
    expect(one.code).toBe(0);
    expect(one.stdout.split("\n")).toHaveLength(1 + 1600 + 1);
    expect(one.stderr).toMatch(/^read 4 chunks of 1 array, [\d.]+ MB; 1,600 rows in \d+\.\d s\n$/);
    const joined = draws(join(FIXTURES, "grouped_regression.zarr"), "mu[obs_ind], sigma", "--stats", "--format", "arrow", "--out", join(scratch, "mu.arrow"));
    expect(joined.stderr).toMatch(/^read 5 chunks of 2 arrays, [\d.]+ MB; 153,600 rows in \d+\.\d s\n$/);
  });

  it("prints spec errors with the query underlined, exit code 2", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "beta[group], sigma");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("error: 'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?\n  beta[group], sigma\n       ^^^^^\n");
  });

  it("prints store errors, exit code 2", () => {
    const run = draws(join(FIXTURES, "nope.zarr"), "sigma");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${join(FIXTURES, "nope.zarr")} does not exist: give the path of a Zarr folder or a .zip of one, or of CmdStan's CSV files\n`);
  });

  it("explains usage mistakes, exit code 2", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: missing specs: name at least one variable, e\.g\. sigma or 'beta\[groups\]'\n\nusage: npm run -s draws/);
    expect(draws(join(FIXTURES, "grouped_regression.zarr"), "sigma", "--format", "json").stderr).toMatch(/^error: --format must be csv or arrow, not 'json'/);
  });
});

describe("errors in the CLI", () => {
  it("tells a bug from bad input: an internal error says so, its stack only with --debug", () => {
    const bug = new TypeError("dataType.match is not a function");
    const plain = describeError(bug, "sigma");
    expect(plain).toBe(
      "error: internal error in drawscope, not a problem with your input: dataType.match is not a function. Please report it with the command you ran.\n(run it again with --debug for the details)",
    );
    expect(describeError(bug, "sigma", true)).toMatch(/^error: internal error in drawscope[^\n]*\nTypeError: dataType\.match is not a function\n\s+at /);
  });

  it("takes --debug on any command", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "sigmma", "--debug");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no variable 'sigmma' in group 'posterior'/);
  });
});

describe("expressions in the CLI", () => {
  const store = join(FIXTURES, "grouped_regression.zarr");
  const golden = new Map(goldenCsv("grouped_regression.expected", "case02.csv.gz").rows.map((r) => [`${r[0]},${r[1]},${r[2]}`, { beta: Number(r[3]), sigma: Number(r[4]) }]));

  it("draws a named expression: every group's difference from North, row for row", () => {
    const run = draws(store, "slope_diff = beta[groups] - beta[groups=North]");
    expect(run.stderr).toBe("");
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toEqual(["chain", "draw", "groups", "slope_diff"]);
    expect(rows.length).toBe(6400);
    for (const [chain, draw, group, value] of rows) {
      expect(Number(value)).toBe(golden.get(`${chain},${draw},${group}`)!.beta - golden.get(`${chain},${draw},North`)!.beta);
    }
  });

  it("summarizes a probability: the mean of a comparison", () => {
    const run = summarize(store, "p = beta[groups] > sigma", "--point", "mean");
    expect(run.stderr).toBe("");
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toEqual(["groups", "p", "p_lower", "p_upper"]);
    for (const [group, p] of rows) {
      const draws = [...golden].filter(([key]) => key.endsWith(`,${group}`)).map(([, v]) => v);
      expect(Number(p)).toBeCloseTo(draws.filter((v) => v.beta > v.sigma).length / draws.length, 12);
    }
  });

  it("underlines an unknown function and suggests the nearest", () => {
    const run = draws(store, "d = exq(sigma)");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no function 'exq': did you mean 'exp'\?.*\n {2}d = exq\(sigma\)\n {6}\^\^\^\n/);
  });
});

describe("summarize CLI", () => {
  const store = join(FIXTURES, "grouped_regression.zarr");
  interface Golden {
    specs: string[];
    group: string;
    summary_of: string;
    summary: Record<string, number | string>[];
  }
  const cases = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "cases.json"), "utf8")) as Golden[];
  const close = (a: number, e: number) => Math.abs(a - e) <= 1e-12 * Math.max(Math.abs(a), Math.abs(e));

  it("prints <by>, <value>, <value>_lower, <value>_upper equal to the golden median and 89% ETI", () => {
    const golden = cases.find((c) => c.specs.join() === "beta[groups],sigma")!;
    const run = summarize(store, "beta[groups], sigma", "--value", "beta");
    expect(run.stderr).toBe("");
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toEqual(["groups", "beta", "beta_lower", "beta_upper"]);
    expect(rows.map((r) => r[0])).toEqual(["North", "South", "East", "West"]);
    rows.forEach((r, i) => {
      const want = golden.summary[i];
      expect([close(Number(r[1]), want.median as number), close(Number(r[2]), want.eti_lower as number), close(Number(r[3]), want.eti_upper as number)]).toEqual([true, true, true]);
    });
  });

  it("gives _<p> suffixes for several probabilities, and the mean with HDIs from another group", () => {
    const golden = cases.find((c) => c.group === "prior")!;
    const run = summarize(store, "beta[groups]", "--group", "prior", "--point", "mean", "--interval", "hdi", "--prob", "0.5,0.89");
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toEqual(["groups", "beta", "beta_lower_0.5", "beta_upper_0.5", "beta_lower_0.89", "beta_upper_0.89"]);
    rows.forEach((r, i) => {
      const want = golden.summary[i];
      expect([close(Number(r[1]), want.mean as number), close(Number(r[4]), want.hdi_lower as number), close(Number(r[5]), want.hdi_upper as number)]).toEqual([true, true, true]);
    });
  });

  it("groups by the source when groups are stacked, or by what --by names", () => {
    const stacked = parseCsv(summarize(store, "beta[groups]", "--group", "posterior", "--group", "prior").stdout);
    expect(stacked.header).toEqual(["source", "groups", "beta", "beta_lower", "beta_upper"]);
    expect(stacked.rows.length).toBe(8);
    const overall = parseCsv(summarize(store, "beta[groups]", "--by", "").stdout);
    expect(overall.header).toEqual(["beta", "beta_lower", "beta_upper"]);
    expect(overall.rows.length).toBe(1);
  });

  it("says which option is wrong and what the query has", () => {
    const twoValues = summarize(store, "beta[groups], sigma");
    expect(twoValues.code).toBe(2);
    expect(twoValues.stderr).toMatch(/^error: --value is needed to choose among beta, sigma\n\nusage: npm run -s summarize/);
    expect(summarize(store, "sigma", "--by", "groups").stderr).toMatch(/^error: --by groups is not a dimension of this query; it has none\n/);
    expect(summarize(store, "sigma", "--prob", "1.5").stderr).toMatch(/^error: --prob takes probabilities in \(0, 1\], comma-separated, e\.g\. 0\.5,0\.89; '1\.5' is not one\n/);
    expect(summarize(store, "sigma", "--point", "max").stderr).toMatch(/^error: --point must be median, mean or mode, not 'max'\n/);
  });
});

describe("diagnose CLI", () => {
  const DIAGNOSE = join(import.meta.dirname, "..", "src", "cli", "diagnose.ts");
  const diagnose = (...args: string[]) => command(DIAGNOSE, args);
  const golden = (name: string) => JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", `diag_${name}.json`), "utf8")) as Record<string, number | string>[];

  it("prints R posterior's diagnostics for beta, intercept and sigma, one row per element", () => {
    const run = diagnose(join(FIXTURES, "grouped_regression.v3.zarr.zip"), "beta[groups], intercept", "sigma");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const { header, rows } = parseCsv(run.stdout);
    const stats = ["mean", "sd", "median", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"];
    expect(header).toEqual(["variable", "groups", ...stats]);
    const expected = ["beta", "intercept", "sigma"].flatMap((name) => golden(name).map((row) => ({ name, row })));
    expect(rows.map((r) => `${r[0]}[${r[1]}]`)).toEqual(expected.map(({ name, row }) => `${name}[${row.groups ?? ""}]`));
    rows.forEach((cells, i) => {
      stats.forEach((stat, j) => {
        const want = expected[i].row[stat] as number;
        // 1e-6 relative: the tolerance against posterior 1.4.
        expect(Math.abs(Number(cells[2 + j]) - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want));
      });
    });
  });

  it("takes a label selection and says what is wrong with a spec", () => {
    const run = diagnose(join(FIXTURES, "grouped_regression.zarr"), "beta[groups=East]");
    expect(run.code).toBe(0);
    expect(parseCsv(run.stdout).rows.map((r) => r.slice(0, 2))).toEqual([["beta", "East"]]);
    const wrong = diagnose(join(FIXTURES, "grouped_regression.zarr"), "constant_data/x");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("constant_data/x has no variables with draws to diagnose");
  });
});

describe("loo CLI", () => {
  const LOO = join(import.meta.dirname, "..", "src", "cli", "loo.ts");
  const loo = (...args: string[]) => command(LOO, args);
  const goldenOf = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));
  const close = (actual: number, wanted: number) => expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(1e-6 * Math.abs(wanted));

  it("prints JSON of each model's estimates and pointwise values, and the comparison, as R loo gives them", () => {
    const run = loo(join(FIXTURES, "arviz/centered_eight.nc"), join(FIXTURES, "arviz/non_centered_eight.v3.zarr"), "--format", "json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.models.map((m: { name: string }) => m.name)).toEqual(["centered_eight", "non_centered_eight"]);
    for (const [i, path] of ["arviz/centered_eight.expected/loo_obs.json", "arviz/non_centered_eight.expected/loo_obs.json"].entries()) {
      const wanted = goldenOf(path).results.r_eff_relative;
      for (const key of ["elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic"]) close(out.models[i][key], wanted[key]);
      out.models[i].pointwise.pareto_k.forEach((k: number, j: number) => expect(Math.abs(k - wanted.pointwise.influence_pareto_k[j])).toBeLessThan(1e-6));
      out.models[i].pointwise.elpd_loo.forEach((v: number, j: number) => close(v, wanted.pointwise.elpd_loo[j]));
    }
    const compare = goldenOf("arviz/compare_eight.json").results.r_eff_relative.models;
    expect(out.compare.map((row: { name: string }) => row.name)).toEqual(compare.map((m: { model: string }) => m.model));
    close(out.compare[1].elpd_diff, compare[1].elpd_diff);
    close(out.compare[1].se_diff, compare[1].se_diff);
    expect(out.compare[0]).toMatchObject({ elpd_diff: 0, se_diff: 0, p_worse: null, diag_diff: "" });
    expect(out.compare[1].diag_diff).toBe("N < 100");
  });

  it("prints CSV estimates with r_eff = 1, or every observation with --pointwise, and says what is wrong", () => {
    const run = loo(join(FIXTURES, "grouped_regression.zarr.zip"), "--reff", "1");
    expect(run.code).toBe(0);
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toEqual(["model", "elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic"]);
    const wanted = goldenOf("grouped_regression.expected/loo_y.json").results.r_eff_1;
    expect(rows[0][0]).toBe("grouped_regression");
    ["elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic"].forEach((key, j) => close(Number(rows[0][1 + j]), wanted[key]));
    const pointwise = parseCsv(loo(join(FIXTURES, "grouped_regression.zarr"), "--pointwise").stdout);
    expect(pointwise.header).toEqual(["model", "obs_ind", "elpd_loo", "mcse_elpd_loo", "p_loo", "looic", "pareto_k", "n_eff", "r_eff"]);
    expect(pointwise.rows).toHaveLength(96);
    const relative = goldenOf("grouped_regression.expected/loo_y.json").results.r_eff_relative;
    pointwise.rows.forEach((r, i) => close(Number(r[8]), relative.r_eff[i]));
    const wrong = loo(join(FIXTURES, "grouped_regression.cmdstan"));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("the trace has no log_likelihood group, which PSIS-LOO needs");
    const usage = loo(join(FIXTURES, "grouped_regression.zarr"), "--reff", "2");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--reff must be auto or 1, not '2'");
  });
});
