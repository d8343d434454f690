import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LabelCoder, tableColumns } from "../src/engine/columns.ts";
import { ContrastError, contrastDraws, contrastPairs } from "../src/engine/stats/contrast.ts";
import { summarizeTable } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const table = await trace.extract(["beta[groups]", "sigma"]);

/** beta per (chain, draw) for one group, read row by row from the tidy table: the hand computation. */
function betaOf(group: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < table.numRows; i++) {
    const row = table.get(i)!;
    if (row.groups === group) out.set(`${row.chain}/${row.draw}`, row.beta as number);
  }
  return out;
}

describe("contrasts", () => {
  it("against North: East − North equals the per-draw difference, for every draw", () => {
    const contrasts = contrastDraws(table, { value: "beta", dim: "groups", mode: "reference", reference: "North" });
    expect(contrasts.schema.fields.map((f) => f.name)).toEqual(["chain", "draw", "contrast", "beta"]);
    expect(tableColumns(contrasts).map((c) => c.role)).toEqual(["sample", "sample", "dim", "value"]);
    expect(new LabelCoder(contrasts, "contrast").labels).toEqual(["South - North", "East - North", "West - North"]);
    expect(contrasts.numRows).toBe(3 * 1600);
    const east = betaOf("East");
    const north = betaOf("North");
    let checked = 0;
    for (let i = 0; i < contrasts.numRows; i++) {
      const row = contrasts.get(i)!;
      if (row.contrast !== "East - North") continue;
      const key = `${row.chain}/${row.draw}`;
      expect(row.beta).toBe(east.get(key)! - north.get(key)!);
      checked++;
    }
    expect(checked).toBe(1600);
  });

  it("all pairs and each level against the previous", () => {
    const pairs = contrastDraws(table, { value: "beta", dim: "groups", mode: "pairs" });
    expect(new LabelCoder(pairs, "contrast").labels).toEqual(["South - North", "East - North", "West - North", "East - South", "West - South", "West - East"]);
    expect(pairs.numRows).toBe(6 * 1600);
    const previous = contrastDraws(table, { value: "beta", dim: "groups", mode: "previous" });
    expect(new LabelCoder(previous, "contrast").labels).toEqual(["South - North", "East - South", "West - East"]);
    const summary = summarizeTable(previous, "beta", ["contrast"], { point: "mean", interval: "eti", probs: [0.89] });
    // The mean of differences is the difference of means.
    const means = summarizeTable(table, "beta", ["groups"], { point: "mean", interval: "eti", probs: [0.89] }).rows.map((r) => r.summary.point);
    expect(summary.rows[0].summary.point).toBeCloseTo(means[1] - means[0], 12);
    expect(summary.rows[2].summary.point).toBeCloseTo(means[3] - means[2], 12);
  });

  it("keeps the source when groups are stacked, and never pairs rows across sources", async () => {
    const stacked = await trace.extract(["beta[groups]"], { groups: ["posterior", "prior"] });
    const contrasts = contrastDraws(stacked, { value: "beta", dim: "groups", mode: "reference" });
    expect(contrasts.schema.fields.map((f) => f.name)).toEqual(["source", "chain", "draw", "contrast", "beta"]);
    // Three contrasts of four groups: three rows for every four.
    expect(contrasts.numRows).toBe((stacked.numRows / 4) * 3);
    const sources = new LabelCoder(contrasts, "source");
    expect(sources.labels).toEqual(["posterior", "prior"]);
    // Within each source, the mean difference is the difference of that source's means.
    const options = { point: "mean", interval: "eti", probs: [0.89] } as const;
    const means = summarizeTable(stacked, "beta", ["source", "groups"], options).rows;
    const differences = summarizeTable(contrasts, "beta", ["source", "contrast"], options).rows;
    const meanOf = (source: string, group: string) => means.find((r) => r.keys[0] === source && r.keys[1] === group)!.summary.point;
    const differenceOf = (source: string, label: string) => differences.find((r) => r.keys[0] === source && r.keys[1] === label)!.summary.point;
    expect(differenceOf("prior", "East - North")).toBeCloseTo(meanOf("prior", "East") - meanOf("prior", "North"), 12);
    expect(differenceOf("posterior", "West - North")).toBeCloseTo(meanOf("posterior", "West") - meanOf("posterior", "North"), 12);
  });

  it("says what is wrong with a contrast that cannot be formed", () => {
    expect(() => contrastDraws(table, { value: "beta", dim: "sigma", mode: "pairs" })).toThrow("'sigma' is not one of this table's dimensions");
    expect(() => contrastDraws(table, { value: "beta", dim: "groups", mode: "reference", reference: "Middle" })).toThrow(ContrastError);
    expect(() => contrastPairs(["a", "b"], "reference", "c")).toThrow("'c' is not a level of this dimension; levels are a, b");
  });
});
