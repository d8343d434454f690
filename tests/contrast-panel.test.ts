import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tableColumns } from "../src/engine/columns.ts";
import { ContrastError, contrastDraws } from "../src/engine/stats/contrast.ts";
import { summarizeTable, type SummaryOptions } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { panel as contrastData } from "../src/panels/contrast/data.ts";
import { aboveZeroText, formatProbability, panel } from "../src/panels/contrast/panel.ts";
import { contrastRows, countAbove } from "../src/panels/contrast/rows.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { FIXTURES } from "./golden.ts";
import { drawsTable } from "./tidy-table.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const table = await trace.extract(["beta[groups]", "sigma"]);
const summary: SummaryOptions = { point: "median", interval: "eti", probs: [0.89, 0.5] };

/** beta per (chain, draw) and group, read row by row: the hand computation of P(East − North > 0). */
function betaByDraw(): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let i = 0; i < table.numRows; i++) {
    const row = table.get(i)!;
    const key = `${row.chain}/${row.draw}`;
    if (!out.has(key)) out.set(key, new Map());
    out.get(key)!.set(row.groups as string, row.beta as number);
  }
  return out;
}

describe("contrast rows", () => {
  it("against North: three rows whose intervals are those of the contrast draws, and P(>0) their share above zero", () => {
    const { draws, by, rows } = contrastRows(table, { value: "beta", dim: "groups", mode: "reference", reference: "North", ...summary });
    expect(by).toEqual(["contrast"]);
    expect(rows.map((r) => r.label)).toEqual(["South - North", "East - North", "West - North"]);
    expect(draws.numRows).toBe(3 * 1600);
    const expected = summarizeTable(contrastDraws(table, { value: "beta", dim: "groups", mode: "reference", reference: "North" }), "beta", ["contrast"], summary);
    rows.forEach((r, i) => expect(r.summary).toEqual(expected.rows[i].summary));
    const beta = betaByDraw();
    for (const [group, row] of [
      ["South", rows[0]],
      ["East", rows[1]],
      ["West", rows[2]],
    ] as const) {
      let above = 0;
      for (const byGroup of beta.values()) if (byGroup.get(group)! - byGroup.get("North")! > 0) above++;
      expect(row.above).toBe(above);
      expect(row.summary.n).toBe(1600);
    }
  });

  it("all pairs give six rows, each level vs the previous three", () => {
    const pairs = contrastRows(table, { value: "beta", dim: "groups", mode: "pairs", ...summary });
    expect(pairs.rows.map((r) => r.label)).toEqual(["South - North", "East - North", "West - North", "East - South", "West - South", "West - East"]);
    const previous = contrastRows(table, { value: "beta", dim: "groups", mode: "previous", ...summary });
    expect(previous.rows.map((r) => r.label)).toEqual(["South - North", "East - South", "West - East"]);
    // North − South is South − North mirrored: without ties, their draws above zero add up to all draws.
    const reversed = contrastRows(table, { value: "beta", dim: "groups", mode: "reference", reference: "South", ...summary });
    const northMinusSouth = reversed.rows.find((r) => r.label === "North - South")!;
    expect(northMinusSouth.above + pairs.rows[0].above).toBe(1600);
  });

  it("keeps each source's rows apart when groups are stacked", async () => {
    const stacked = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const { by, rows } = contrastRows(stacked, { value: "beta", dim: "groups", mode: "reference", reference: "North", ...summary });
    expect(by).toEqual(["contrast", "source"]);
    expect(rows.map((r) => `${r.source}: ${r.label}`)).toEqual([
      "posterior: South - North",
      "prior: South - North",
      "posterior: East - North",
      "prior: East - North",
      "posterior: West - North",
      "prior: West - North",
    ]);
    const prior = contrastRows(await trace.extract(["beta[groups]"], { groups: ["prior"] }), { value: "beta", dim: "groups", mode: "reference", reference: "North", ...summary });
    expect(rows.filter((r) => r.source === "prior").map((r) => [r.above, r.summary])).toEqual(prior.rows.map((r) => [r.above, r.summary]));
  });

  it("refuses more contrasts than can be drawn, and a missing dimension, with a reason", async () => {
    const mu = await trace.extract(["mu[obs_ind]"]);
    expect(() => contrastRows(mu, { value: "mu", dim: "obs_ind", mode: "pairs", ...summary })).toThrow(
      "96 levels of obs_ind give 4560 contrasts, more than 200 can be drawn: compare against a reference, or narrow the query",
    );
    expect(contrastRows(mu, { value: "mu", dim: "obs_ind", mode: "previous", ...summary }).rows).toHaveLength(95);
    const sigma = await trace.extract(["sigma"]);
    expect(() => contrastRows(sigma, { value: "sigma", dim: "", mode: "pairs", ...summary })).toThrow(ContrastError);
  });

  it("counts draws above zero by bisection and prints near-certainties honestly", () => {
    const sorted = Float64Array.from([-2, -1, 0, 0, 0.5, 3]);
    expect(countAbove(sorted, 0)).toBe(2);
    expect(countAbove(sorted, -5)).toBe(6);
    expect(countAbove(sorted, 3)).toBe(0);
    expect(countAbove(new Float64Array(0), 0)).toBe(0);
    expect([0, 0.004, 0.5, 0.97, 0.996, 1, NaN].map(formatProbability)).toEqual(["0.00", "< 0.01", "0.50", "0.97", "> 0.99", "1.00", "n/a"]);
    expect([0.004, 0.5, 0.996].map(aboveZeroText)).toEqual(["P(>0) < 0.01", "P(>0) = 0.50", "P(>0) > 0.99"]);
  });
});

describe("contrast panel options", () => {
  it("compare the value's own dimension against its first level by default", () => {
    expect(resolveOptions(panel, {}, tableShape(table))).toEqual({
      options: { value: "beta", dim: "groups", mode: "reference", level: "North", point: "median", interval: "eti", prob: 0.89, inner: 0.5 },
      notes: [],
    });
  });

  it("keep a chosen level, and say when the dimension has no such level", async () => {
    expect(resolveOptions(panel, { level: "East" }, tableShape(table)).options.level).toBe("East");
    const stacked = await trace.extract(["sigma"], { groups: ["posterior", "prior"] });
    const resolved = resolveOptions(panel, { level: "East" }, tableShape(stacked));
    expect(resolved.options).toMatchObject({ value: "sigma", dim: "source", level: "posterior" });
    expect(resolved.notes).toEqual(["Reference: 'East' is not a level of source"]);
  });
});

describe("contrast panel data (in the worker)", () => {
  const options = resolveOptions(panel, {}, tableShape(table)).options;

  it("holds the summarised rows of contrastRows, the options it was computed with, and no draws", () => {
    const data = contrastData.data(table, options);
    const { rows } = contrastRows(table, { value: "beta", dim: "groups", mode: "reference", reference: "North", point: "median", interval: "eti", probs: [0.89, 0.5] });
    expect(data).toEqual({ value: "beta", dim: "groups", mode: "reference", reference: "North", point: "median", interval: "eti", probs: [0.89, 0.5], rows, notes: [] });
    expect(data.rows.map((r) => [r.label, r.summary.n])).toEqual([
      ["South - North", 1600],
      ["East - North", 1600],
      ["West - North", 1600],
    ]);
    // What travels to the page survives the copy unchanged.
    expect(structuredClone(data)).toEqual(data);
  });

  it("says when the inner interval cannot be drawn, and when the value does not vary over the dimension", () => {
    const data = contrastData.data(table, { ...options, value: "sigma", inner: 0.95 });
    expect(data.probs).toEqual([0.89]);
    expect(data.notes).toEqual(["The inner probability 0.95 is not below 0.89: no inner interval.", "sigma does not vary over groups, so its contrasts are zero."]);
    expect(data.rows.every((r) => r.above === 0 && r.summary.point === 0)).toBe(true);
  });

  it("derives the contrast draws for export in the worker: the table contrastDraws gives", () => {
    const derived = contrastData.derived!(table, { ...options, mode: "pairs" });
    const expected = contrastDraws(table, { value: "beta", dim: "groups", mode: "pairs" });
    expect(tableColumns(derived)).toEqual(tableColumns(expected));
    expect(derived.numRows).toBe(6 * 1600);
    expect(derived.getChild("beta")!.toArray()).toEqual(expected.getChild("beta")!.toArray());
    expect(() => contrastData.derived!(table, { ...options, dim: "" })).toThrow(ContrastError);
  });

  it("is as small for 400,000 rows as for a few: one row per contrast", () => {
    const draws = 25_000;
    const big = drawsTable({ chains: 4, draws, dim: "level", levels: ["a", "b", "c", "d"] }, { v: (c, d, l) => l + Math.sin(c * draws + d) });
    const shape = tableShape(big);
    expect(shape.columns.map((c) => c.role)).toEqual(["sample", "sample", "dim", "value"]);
    const data = contrastData.data(big, resolveOptions(panel, { mode: "pairs" }, shape).options);
    expect(data.rows).toHaveLength(6);
    expect(data.rows[0]).toMatchObject({ label: "b - a", summary: { n: 4 * draws } });
    expect(JSON.stringify(data).length).toBeLessThan(5_000);
  });
});
