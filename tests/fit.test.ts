import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tableColumns } from "../src/engine/columns.ts";
import { summarizeTable } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { FitError, fitBands, fitTable, type FitRequest } from "../src/panels/fit/bands.ts";
import { panel as fitData } from "../src/panels/fit/data.ts";
import { panel } from "../src/panels/fit/panel.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { FIXTURES } from "./golden.ts";
import { drawsTable } from "./tidy-table.ts";

const REL = 1e-12;
const close = (actual: number, expected: number) => Math.abs(actual - expected) <= REL * Math.max(Math.abs(actual), Math.abs(expected));

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const QUERY = "mu[obs_ind], constant_data/x, constant_data/group_idx, observed_data/y";
const table = await trace.extract(QUERY);
const request: FitRequest = { draws: "mu", x: "", observed: "", group: "", probs: [0.5, 0.8, 0.95], spaghetti: 0 };

/** The data on its own: one row per observation. */
const data = await trace.extract("constant_data/x, constant_data/group_idx, observed_data/y");
const dataRow = new Map(Array.from({ length: data.numRows }, (_, i) => data.get(i)!.toJSON()).map((r) => [r.obs_ind as number, r]));

describe("fit bands", () => {
  it("the ribbons equal the ETI of mu per obs_ind, and the median its median", () => {
    const bands = fitBands(table, request);
    expect(bands.by).toEqual(["obs_ind"]);
    expect(bands.observations).toHaveLength(96);
    const summary = summarizeTable(table, "mu", ["obs_ind"], { point: "median", interval: "eti", probs: [0.5, 0.8, 0.95] });
    const wrong: string[] = [];
    for (const row of summary.rows) {
      const o = bands.observations.find((b) => b.keys[0] === row.keys[0])!;
      expect(o.n).toBe(1600);
      if (!close(o.median, row.summary.point)) wrong.push(`${row.keys[0]} median`);
      row.summary.intervals.forEach((want, j) => {
        if (!close(o.intervals[j].lower, want.lower) || !close(o.intervals[j].upper, want.upper)) wrong.push(`${row.keys[0]} ${want.prob}`);
      });
    }
    expect(wrong).toEqual([]);
    // Nested: each band inside the next wider one, around the median.
    for (const o of bands.observations) {
      expect(o.intervals[0].lower).toBeGreaterThan(o.intervals[1].lower);
      expect(o.intervals[1].lower).toBeGreaterThan(o.intervals[2].lower);
      expect(o.intervals[0].upper).toBeLessThan(o.intervals[1].upper);
      expect(o.median).toBeGreaterThan(o.intervals[0].lower);
      expect(o.median).toBeLessThan(o.intervals[0].upper);
    }
  });

  it("the 89% band equals the golden ETI of mu[obs_ind] to 1e-12", () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", "cases.json"), "utf8")) as { specs: string[]; group: string; summary: Record<string, number>[] }[];
    const golden = cases.find((c) => c.group === "posterior" && c.specs.join() === "mu[obs_ind]")!;
    const bands = fitBands(table, { ...request, probs: [0.89] });
    expect(golden.summary).toHaveLength(96);
    const wrong: string[] = [];
    for (const want of golden.summary) {
      const o = bands.observations.find((b) => b.keys[0] === want.obs_ind)!;
      for (const [name, got] of [
        ["median", o.median],
        ["eti_lower", o.intervals[0].lower],
        ["eti_upper", o.intervals[0].upper],
      ] as const) {
        if (!close(got, want[name])) wrong.push(`${want.obs_ind} ${name}: got ${got}, want ${want[name]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("picks x and the observed y, one value per observation, in x order", () => {
    const bands = fitBands(table, request);
    expect([bands.x, bands.observed, bands.group]).toEqual(["x", "y", ""]);
    expect(bands.notes).toEqual(["x: x (picked automatically).", "Observed: y (picked automatically).", "group_idx looks like group codes: Group by group_idx draws one fit per group."]);
    expect(fitBands(table, { ...request, group: "group_idx" }).notes).toEqual(["x: x (picked automatically).", "Observed: y (picked automatically)."]);
    for (const o of bands.observations) {
      const row = dataRow.get(o.keys[0] as number)!;
      expect(o.x).toBe(row.x);
      expect(o.observed).toBe(row.y);
    }
    const xs = bands.observations.map((o) => o.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("groups by an integer code, each group in x order", () => {
    const bands = fitBands(table, { ...request, group: "group_idx" });
    expect(bands.groups).toEqual([0, 1, 2, 3]);
    const counts = bands.groups.map((g) => bands.observations.filter((o) => o.group === g).length);
    expect(counts.reduce((a, b) => a + b)).toBe(96);
    expect(counts.every((c) => c > 0)).toBe(true);
    for (const o of bands.observations) expect(o.group).toBe(dataRow.get(o.keys[0] as number)!.group_idx);
    const groupsInOrder = bands.observations.map((o) => o.group as number);
    expect(groupsInOrder).toEqual([...groupsInOrder].sort((a, b) => a - b));
    for (const g of bands.groups) {
      const xs = bands.observations.filter((o) => o.group === g).map((o) => o.x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
    }
    // A continuous column is not a grouping.
    const continuous = fitBands(table, { ...request, group: "x" });
    expect(continuous.group).toBe("");
    expect(continuous.notes).toContain("x is neither labels nor integer codes: observations are not grouped.");
  });

  it("traces the same evenly spread draws for every observation", () => {
    const bands = fitBands(table, { ...request, spaghetti: 5 });
    // 1600 draws, 5 picks at (p + 0.5) · 320: samples 160, 480, 800, 1120, 1440.
    expect(bands.spaghetti.map((s) => s.label)).toEqual(["chain 0, draw 160", "chain 1, draw 80", "chain 2, draw 0", "chain 2, draw 320", "chain 3, draw 240"]);
    const mu = new Map<string, number>();
    for (let i = 0; i < table.numRows; i++) {
      const r = table.get(i)!;
      mu.set(`chain ${r.chain}, draw ${r.draw}/${r.obs_ind}`, r.mu as number);
    }
    for (const line of bands.spaghetti) {
      expect(line.values).toHaveLength(96);
      bands.observations.forEach((o, i) => expect(line.values[i]).toBe(mu.get(`${line.label}/${o.keys[0]}`)));
    }
  });

  it("keeps sources apart when groups are stacked", async () => {
    const stacked = await trace.extract(QUERY, { groups: ["posterior", "prior"] });
    const bands = fitBands(stacked, { ...request, probs: [0.89] });
    expect(bands.by).toEqual(["source", "obs_ind"]);
    expect(bands.sources).toEqual(["posterior", "prior"]);
    expect(bands.observations).toHaveLength(192);
    const summary = summarizeTable(stacked, "mu", ["source", "obs_ind"], { point: "median", interval: "eti", probs: [0.89] });
    for (const row of summary.rows) {
      const o = bands.observations.find((b) => b.keys[0] === row.keys[0] && b.keys[1] === row.keys[1])!;
      expect(o.source).toBe(row.keys[0]);
      expect(close(o.intervals[0].lower, row.summary.intervals[0].lower)).toBe(true);
      expect(close(o.intervals[0].upper, row.summary.intervals[0].upper)).toBe(true);
    }
  });

  it("counts each draw once when another spec adds a dimension", async () => {
    const wider = await trace.extract("mu[obs_ind], beta[groups], constant_data/x");
    expect(wider.numRows).toBe(4 * table.numRows);
    const bands = fitBands(wider, request);
    const plain = fitBands(table, request);
    expect(bands.observations.map((o) => o.n)).toEqual(plain.observations.map(() => 1600));
    expect(bands.observations.map((o) => o.intervals)).toEqual(plain.observations.map((o) => o.intervals));
  });

  it("a posterior predictive variable is drawn against the observed data of the same name", async () => {
    const predictive = await trace.extract("posterior_predictive/y, constant_data/x, observed_data/y");
    const bands = fitBands(predictive, { ...request, draws: "y" });
    expect([bands.x, bands.observed]).toEqual(["x", "observed_data/y"]);
    for (const o of bands.observations) expect(o.observed).toBe(dataRow.get(o.keys[0] as number)!.y);
  });

  it("says what is missing when the table cannot give a fit", async () => {
    expect(() => fitBands(data, { ...request, draws: "y" })).toThrow(FitError);
    expect(() => fitBands(data, { ...request, draws: "y" })).toThrow("this table has no draws");
    expect(() => fitBands(table, { ...request, draws: "x" })).toThrow("x has one value per observation");
    const scalar = await trace.extract("sigma");
    expect(() => fitBands(scalar, { ...request, draws: "sigma" })).toThrow("sigma has no observation dimension");
  });

  it("exports the bands as a table, one row per observation", () => {
    const bands = fitBands(table, { ...request, group: "group_idx" });
    const out = fitTable(bands, "mu");
    expect(tableColumns(out).map((c) => `${c.name}:${c.role}`)).toEqual([
      "obs_ind:dim",
      "x:value",
      "y:value",
      "group_idx:dim",
      "mu:value",
      "mu_lower_0.5:value",
      "mu_upper_0.5:value",
      "mu_lower_0.8:value",
      "mu_upper_0.8:value",
      "mu_lower_0.95:value",
      "mu_upper_0.95:value",
    ]);
    expect(out.numRows).toBe(96);
    const first = out.get(0)!.toJSON();
    const o = bands.observations[0];
    expect(first).toEqual({
      obs_ind: o.keys[0],
      x: o.x,
      y: o.observed,
      group_idx: o.group,
      mu: o.median,
      "mu_lower_0.5": o.intervals[0].lower,
      "mu_upper_0.5": o.intervals[0].upper,
      "mu_lower_0.8": o.intervals[1].lower,
      "mu_upper_0.8": o.intervals[1].upper,
      "mu_lower_0.95": o.intervals[2].lower,
      "mu_upper_0.95": o.intervals[2].upper,
    });
  });

  it("options: the draws default to the first value, x and observed to auto, no groups", () => {
    expect(resolveOptions(panel, {}, tableShape(table))).toEqual({
      options: { draws: "mu", x: "", observed: "", points: true, group: "", layout: "color", bands: "0.5,0.8,0.95", spaghetti: 0 },
      notes: [],
    });
  });
});

describe("fit panel data (in the worker)", () => {
  const options = resolveOptions(panel, {}, tableShape(table)).options;

  it("holds fitBands as columns in drawing order: x, observed, median and each band", () => {
    const data = fitData.data(table, { ...options, group: "group_idx", spaghetti: 3 });
    const bands = fitBands(table, { ...request, group: "group_idx", spaghetti: 3 });
    expect([data.draws, data.x, data.observed, data.group, data.count, data.drawCount]).toEqual(["mu", "x", "y", "group_idx", 96, 1600]);
    expect(data.probs).toEqual([0.5, 0.8, 0.95]);
    expect(data.groups).toEqual([0, 1, 2, 3]);
    expect(data.sources).toEqual([]);
    expect([...data.xs]).toEqual(bands.observations.map((o) => o.x));
    expect([...data.observedValues]).toEqual(bands.observations.map((o) => o.observed));
    expect([...data.median]).toEqual(bands.observations.map((o) => o.median));
    data.probs.forEach((_, j) => {
      expect([...data.lower[j]]).toEqual(bands.observations.map((o) => o.intervals[j].lower));
      expect([...data.upper[j]]).toEqual(bands.observations.map((o) => o.intervals[j].upper));
    });
    expect([...data.groupIndex]).toEqual(bands.observations.map((o) => o.group));
    expect([...data.sourceIndex]).toEqual(bands.observations.map(() => -1));
    expect(data.labels).toEqual(bands.observations.map((o) => String(o.keys[0])));
    expect(data.spaghetti).toEqual(bands.spaghetti);
    expect(data.notes).toEqual(["x: x (picked automatically).", "Observed: y (picked automatically)."]);
    expect(structuredClone(data)).toEqual(data);
  });

  it("reads neither drawing option: points and layout change the drawing only", () => {
    expect(panel.drawOnly).toEqual(["points", "layout"]);
    const drawn = fitData.data(table, options);
    expect(fitData.data(table, { ...options, points: false, layout: "facet" })).toEqual(drawn);
  });

  it("keeps stacked sources apart by index", async () => {
    const stacked = await trace.extract(QUERY, { groups: ["posterior", "prior"] });
    const data = fitData.data(stacked, options);
    expect(data.sources).toEqual(["posterior", "prior"]);
    expect(data.count).toBe(192);
    expect(Array.from(data.sourceIndex).filter((s) => s === 1)).toHaveLength(96);
    expect(data.labels.slice(0, 2)).toEqual(
      fitBands(stacked, request)
        .observations.slice(0, 2)
        .map((o) => o.keys.join(" · ")),
    );
  });

  it("derives the bands table for export in the worker", () => {
    const derived = fitData.derived!(table, { ...options, group: "group_idx" });
    const expected = fitTable(fitBands(table, { ...request, group: "group_idx" }), "mu");
    expect(tableColumns(derived)).toEqual(tableColumns(expected));
    expect(derived.getChild("mu_lower_0.8")!.toArray()).toEqual(expected.getChild("mu_lower_0.8")!.toArray());
  });

  it("grows with the observations, not the draws; single draws are capped at a million values", () => {
    const levels = Array.from({ length: 12_000 }, (_, i) => `o${i}`);
    const big = drawsTable({ chains: 4, draws: 30, dim: "obs", levels }, { mu: (c, d, l) => l + Math.sin(c * 30 + d + l), x: (_c, _d, l) => l / 100 });
    expect(big.numRows).toBe(1_440_000);
    const data = fitData.data(big, { ...resolveOptions(panel, {}, tableShape(big)).options, spaghetti: 200 });
    expect(data.count).toBe(12_000);
    expect(data.drawCount).toBe(120);
    // 200 lines of 12,000 observations would be 2.4 million values: 83 lines are within a million.
    expect(data.spaghetti).toHaveLength(83);
    expect(data.notes).toContain("12,000 observations allow at most 83 single draws: 83 traced.");
    // Too many points to label: the page does not draw them.
    expect(data.labels).toEqual([]);
    const bytes = [data.xs, data.observedValues, data.median, ...data.lower, ...data.upper, data.groupIndex, data.sourceIndex, ...data.spaghetti.map((s) => s.values)].reduce(
      (a, v) => a + v.byteLength,
      0,
    );
    expect(bytes).toBe(12_000 * (8 * 9 + 4 * 2) + 83 * 12_000 * 8);
  });
});
