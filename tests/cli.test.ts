import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, expectSameRows, goldenCases, goldenCsv, parseCsv } from "./golden.ts";

const CLI = join(import.meta.dirname, "..", "src", "cli", "draws.ts");
const scratch = mkdtempSync(join(tmpdir(), "drawscope-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function draws(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("draws CLI", () => {
  for (const [expected, store] of [
    ["grouped_regression.expected", "grouped_regression.zarr"],
    ["arviz/centered_eight.expected", "arviz/centered_eight.zarr"],
  ]) {
    for (const c of goldenCases(expected)) {
      it(`reproduces ${expected}/${c.table} (${c.specs.join(", ")} from ${c.group})`, () => {
        const groupArgs = c.group === "posterior" ? [] : ["--group", c.group];
        const run = draws(join(FIXTURES, store), ...c.specs, ...groupArgs);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expectSameRows(parseCsv(run.stdout), goldenCsv(expected, c.table), c.columns.length - c.specs.length);
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
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "chain:Int32",
      "draw:Int32",
      "groups:Dictionary<Int8, Utf8>",
      "beta:Float64",
      "intercept:Float64",
    ]);
    expect(table.get(0)!.toJSON()).toEqual({ chain: 0, draw: 0, groups: "North", beta: 0.35074762718133845, intercept: -1.3222219758110829 });
  });

  it("prints spec errors with the query underlined, exit code 2", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"), "beta[group], sigma");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error: 'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?\n  beta[group], sigma\n       ^^^^^\n",
    );
  });

  it("prints store errors, exit code 2", () => {
    const run = draws(join(FIXTURES, "nope.zarr"), "sigma");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${join(FIXTURES, "nope.zarr")} does not exist: give the path of a Zarr folder or a .zip of one\n`);
  });

  it("explains usage mistakes, exit code 2", () => {
    const run = draws(join(FIXTURES, "grouped_regression.zarr"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: missing specs: name at least one variable, e\.g\. sigma or 'beta\[groups\]'\n\nusage: npm run -s draws/);
    expect(draws(join(FIXTURES, "grouped_regression.zarr"), "sigma", "--format", "json").stderr).toMatch(
      /^error: --format must be csv or arrow, not 'json'/,
    );
  });
});
