import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eti, hdi, mode, numpyQuantile, summarizeTable, summaryTable, SummaryError, type SummaryOptions } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { toCsv } from "../src/engine/csv.ts";
import { FIXTURES, type GoldenCase } from "./golden.ts";

interface SummaryCase extends GoldenCase {
  summary_of: string;
  summary_by: string[];
  summary_prob: number;
  summary: Record<string, number | string>[];
}

const REL = 1e-12;
const close = (actual: number, expected: number) => Math.abs(actual - expected) <= REL * Math.max(Math.abs(actual), Math.abs(expected));

const SOURCES: [string, string][] = [
  ["grouped_regression.expected", "grouped_regression.zarr"],
  ["arviz/centered_eight.expected", "arviz/centered_eight.zarr"],
];

for (const [expectedDir, store] of SOURCES) {
  const cases = JSON.parse(readFileSync(join(FIXTURES, expectedDir, "cases.json"), "utf8")) as SummaryCase[];
  describe(`summaries of ${store} equal ${expectedDir}/cases.json to 1e-12 relative`, async () => {
    const trace = await openPath(join(FIXTURES, store));
    for (const c of cases) {
      it(`${c.group}: ${c.summary_of} by [${c.summary_by.join(", ")}] from ${c.specs.join(", ")}`, async () => {
        const table = await trace.extract(c.specs, { groups: [c.group] });
        const probs = [c.summary_prob];
        const run = (point: SummaryOptions["point"], interval: SummaryOptions["interval"]) => summarizeTable(table, c.summary_of, c.summary_by, { point, interval, probs });
        const median = run("median", "eti");
        const mean = run("mean", "hdi");
        expect(median.rows.length).toBe(c.summary.length);
        const wrong: string[] = [];
        c.summary.forEach((want, i) => {
          const keys = c.summary_by.map((d) => want[d]);
          expect(median.rows[i].keys.map(String)).toEqual(keys.map(String));
          const got: Record<string, number> = {
            median: median.rows[i].summary.point,
            eti_lower: median.rows[i].summary.intervals[0].lower,
            eti_upper: median.rows[i].summary.intervals[0].upper,
            mean: mean.rows[i].summary.point,
            hdi_lower: mean.rows[i].summary.intervals[0].lower,
            hdi_upper: mean.rows[i].summary.intervals[0].upper,
            n: median.rows[i].summary.n,
          };
          for (const [name, value] of Object.entries(got)) {
            if (!close(value, want[name] as number)) wrong.push(`${keys.join(",")} ${name}: got ${value}, want ${want[name]}`);
          }
        });
        expect(wrong).toEqual([]);
      });
    }
  });
}

describe("interval arithmetic", () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 10]);
  it("ETI interpolates between order statistics as numpy does", () => {
    expect(numpyQuantile(sorted, 0.5)).toBe(3);
    expect(numpyQuantile(sorted, 0.9)).toBeCloseTo(7.6, 12);
    const i = eti(sorted, 0.5);
    expect([i.lower, i.upper]).toEqual([2, 4]);
  });
  it("HDI is the narrowest window of ceil(p·n) draws", () => {
    // ceil(0.6·5) = 3 draws: [1,3] (width 2) beats [2,4] (2, later) and [3,10].
    expect(hdi(sorted, 0.6)).toEqual({ prob: 0.6, lower: 1, upper: 3 });
    expect(hdi(sorted, 1)).toEqual({ prob: 1, lower: 1, upper: 10 });
    expect(hdi(Float64Array.from([0, 5, 5.5, 6, 20]), 0.5)).toEqual({ prob: 0.5, lower: 5, upper: 6 });
  });
  it("the mode is the peak of the density", () => {
    const draws = Float64Array.from({ length: 4001 }, (_, i) => 3 + Math.tan(Math.PI * ((i + 0.5) / 4001 - 0.5)) * 0.5).sort();
    expect(Math.abs(mode(draws) - 3)).toBeLessThan(0.05);
  });
  it("rejects probabilities outside (0, 1]", async () => {
    const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
    const table = await trace.extract(["sigma"]);
    expect(() => summarizeTable(table, "sigma", [], { point: "median", interval: "eti", probs: [1.5] })).toThrow(SummaryError);
    expect(() => summarizeTable(table, "sigma", [], { point: "median", interval: "eti", probs: [1.5] })).toThrow("interval probability 1.5 is outside (0, 1]");
  });
});

describe("summary tables", () => {
  it("have <by>, <value>, <value>_lower, <value>_upper, with _<p> suffixes for several probabilities", async () => {
    const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
    const table = await trace.extract(["beta[groups]"]);
    const one = summaryTable(summarizeTable(table, "beta", ["groups"], { point: "median", interval: "eti", probs: [0.89] }));
    expect(one.schema.fields.map((f) => f.name)).toEqual(["groups", "beta", "beta_lower", "beta_upper"]);
    const lines = toCsv(one).trim().split("\n");
    expect(lines[1].split(",")[0]).toBe("North");
    expect(Number(lines[1].split(",")[1])).toBeCloseTo(0.42136002783869575, 12);
    const two = summaryTable(summarizeTable(table, "beta", ["groups"], { point: "mean", interval: "hdi", probs: [0.5, 0.89] }));
    expect(two.schema.fields.map((f) => f.name)).toEqual(["groups", "beta", "beta_lower_0.5", "beta_upper_0.5", "beta_lower_0.89", "beta_upper_0.89"]);
    expect(two.numRows).toBe(4);
    expect(two.getChild("beta_lower_0.89")!.get(0)).toBeCloseTo(0.2971708064486466, 12);
  });
});
