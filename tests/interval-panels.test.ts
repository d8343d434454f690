import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { splitByLabels } from "../src/engine/split.ts";
import { sortedDraws } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { dotDiameter, dotQuantiles, layoutDots, spreadCenters, tallestStack } from "../src/panels/dots/bins.ts";
import { formatProb, formatValue, intervalsPhrase, probsOf, referenceOf, rowColumns, rowLabel, sortRows } from "../src/panels/intervals.ts";
import { blocksBetween } from "../src/panels/row-blocks.ts";
import { labelMargin, labelText } from "../src/panels/labels.ts";
import { niceDomain } from "../src/panels/row-chart.ts";
import { FIXTURES } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const GROUPS = ["North", "South", "East", "West"];

/** Each group's sorted beta draws from the example's posterior. */
async function betaDraws(): Promise<Float64Array[]> {
  const table = await trace.extract(["beta[groups]"]);
  const { groups } = splitByLabels(table, "beta", ["groups"]);
  expect(groups.map((g) => g.keys[0])).toEqual(GROUPS);
  return groups.map((g) => sortedDraws(g.values));
}

describe("rows of the summary panels", () => {
  it("split by the value's own dims by default, with the source when groups are stacked", async () => {
    const table = await trace.extract(["beta[groups]", "sigma"]);
    expect(rowColumns(table, "beta", "", true)).toEqual(["groups"]);
    expect(rowColumns(table, "sigma", "", true)).toEqual([]);
    expect(rowColumns(table, "sigma", "groups", true)).toEqual(["groups"]);
    const stacked = await trace.extract(["beta[groups]", "sigma"], { groups: ["posterior", "prior"] });
    expect(rowColumns(stacked, "beta", "", true)).toEqual(["groups", "source"]);
    expect(rowColumns(stacked, "beta", "", false)).toEqual(["groups"]);
    expect(rowColumns(stacked, "sigma", "", true)).toEqual(["source"]);
    // Data without draws has one value per label: one row over all of them, as density does.
    const data = await trace.extract(["observed_data/y[obs_ind]"]);
    expect(rowColumns(data, "y", "", true)).toEqual([]);
  });

  it("are labelled by their keys joined with ' · ', or the value's name for one row", () => {
    expect(rowLabel(["North", "prior"], "beta")).toBe("North · prior");
    expect(rowLabel([7], "mu")).toBe("7");
    expect(rowLabel([], "sigma")).toBe("sigma");
  });

  it("sort by label (as given) or by value, NaN last and ties in label order", () => {
    const values = Float64Array.from([0.42, 0.8, NaN, -0.59, 0.42]);
    expect(sortRows(values, "label")).toEqual([0, 1, 2, 3, 4]);
    expect(sortRows(values, "ascending")).toEqual([3, 0, 4, 1, 2]);
    expect(sortRows(values, "descending")).toEqual([1, 0, 4, 3, 2]);
  });

  it("read their options: probabilities ascending without repeats, references, labels", () => {
    expect(probsOf(0.89, 0.5)).toEqual([0.5, 0.89]);
    expect(probsOf(0.9, 0.9)).toEqual([0.9]);
    expect(referenceOf("")).toBeUndefined();
    expect(referenceOf(" 0 ")).toBe(0);
    expect(referenceOf("-1.5")).toBe(-1.5);
    expect(formatProb(0.89)).toBe("89%");
    expect(formatProb(0.955)).toBe("95.5%");
    expect(intervalsPhrase([0.5, 0.89], "eti")).toBe("50% and 89% ETI");
    expect(intervalsPhrase([0.95], "hdi")).toBe("95% HDI");
    expect(formatValue(0.42136002783869575)).toBe("0.421");
    expect(formatValue(-0.7056559534515725)).toBe("-0.706");
    expect(formatValue(1234.5)).toBe("1230");
    // 7 px a character plus 16, within 40–240 px, or a third of a wide figure.
    expect(labelMargin(["North", "South"])).toBe(51);
    expect(labelMargin(["a"])).toBe(40);
    expect(labelMargin(["x".repeat(100)])).toBe(240);
    expect(labelMargin(["x".repeat(100)], 900)).toBe(300);
    expect(labelMargin([2019, 2020])).toBe(44);
    expect(labelText(2019)).toBe("2019");
    expect(niceDomain([-0.7056559534515725, 1.541352880162366])).toEqual([-0.8, 1.6]);
    expect(niceDomain([2, 2])).toEqual([1.8, 2.2]);
    expect(niceDomain(undefined)).toEqual([0, 1]);
  });
});

describe("scrolling rows", () => {
  it("draw the blocks that overlap what is near the view, and only those", () => {
    // Blocks of 320 px: pixels 0–959 are blocks 0, 1 and 2; 960 starts block 3.
    expect(blocksBetween(-320, 960, 320, 10)).toEqual([0, 2]);
    expect(blocksBetween(-320, 961, 320, 10)).toEqual([0, 3]);
    expect(blocksBetween(1000, 1640, 320, 10)).toEqual([3, 5]);
    expect(blocksBetween(640, 641, 320, 10)).toEqual([2, 2]);
    // Clamped to the blocks there are, at both ends and past them.
    expect(blocksBetween(2900, 4000, 320, 10)).toEqual([9, 9]);
    expect(blocksBetween(5000, 6000, 320, 10)).toEqual([9, 9]);
    expect(blocksBetween(-900, -100, 320, 10)).toEqual([0, 0]);
    expect(blocksBetween(0, 100_000, 320, 1)).toEqual([0, 0]);
  });
});

describe("quantile dots", () => {
  it("are the quantiles at (i − 0.5)/N: N = 100 gives the 89% ETI bounds as dots 6 and 95", async () => {
    const [north] = await betaDraws();
    const { probs, values } = dotQuantiles(north, 100);
    expect(probs).toHaveLength(100);
    expect(probs[0]).toBe(0.005);
    expect(probs[99]).toBe(0.995);
    // cases.json: North eti_lower 0.3016853078094984 (q 0.055), eti_upper 0.536072150879278 (q 0.945).
    expect(values[5]).toBeCloseTo(0.3016853078094984, 9);
    expect(values[94]).toBeCloseTo(0.536072150879278, 9);
    // The median 0.42136002783869575 lies between the 50th and 51st dots.
    expect(values[49]).toBeLessThan(0.42136002783869575);
    expect(values[50]).toBeGreaterThan(0.42136002783869575);
    for (let i = 1; i < 100; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  });

  it("bin left to right: a bin takes what is less than one width from its first value and sits at its middle", () => {
    const layout = layoutDots(Float64Array.from([0, 0.1, 0.15, 1, 1.05, 1.9]), 0.5);
    expect(Array.from(layout.bin)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(Array.from(layout.stack)).toEqual([0, 1, 2, 0, 1, 0]);
    expect(Array.from(layout.binMiddle)).toEqual([0.075, 1.025, 1.9]);
    // Already a width apart: nothing moves, and each dot sits at its bin's middle.
    expect(Array.from(layout.binCenter)).toEqual([0.075, 1.025, 1.9]);
    expect(Array.from(layout.x)).toEqual([0.075, 0.075, 0.075, 1.025, 1.025, 1.9]);
    expect(layout.tallest).toBe(3);
    expect(tallestStack(Float64Array.from([0, 0.1, 0.15, 1, 1.05, 1.9]), 2)).toBe(6);
  });

  it("spread bins closer than a width by the least-squares shift, weighted by their dots", () => {
    // Bins [0, 0.4] (middle 0.2) and [0.5, 0.6] (middle 0.55) are 0.35 apart: each moves 0.075.
    const layout = layoutDots(Float64Array.from([0, 0.4, 0.5, 0.6]), 0.5);
    expect(Array.from(layout.binMiddle)).toEqual([0.2, 0.55]);
    expect(layout.binCenter[0]).toBeCloseTo(0.125, 15);
    expect(layout.binCenter[1]).toBeCloseTo(0.625, 15);
    // A heavier bin moves less: weights 3 and 1 share the 0.15 overlap as 0.0375 and 0.1125.
    const weighted = spreadCenters(Float64Array.from([0, 0.35]), [3, 1], 0.5);
    expect(weighted[0]).toBeCloseTo(-0.0375, 15);
    expect(weighted[1]).toBeCloseTo(0.4625, 15);
    // A chain of three pools into one block; the fourth bin, far away, stays.
    const chain = spreadCenters(Float64Array.from([0, 0.1, 0.2, 5]), [1, 1, 1, 1], 1);
    expect(Array.from(chain).map((c) => Number(c.toFixed(12)))).toEqual([-0.9, 0.1, 1.1, 5]);
  });

  it("on the example: N dots per row at the quantiles' bins, never overlapping, stacks fitting the row", async () => {
    const rows = (await betaDraws()).map((sorted) => dotQuantiles(sorted, 100).values);
    // 600 px for a span of 2.6 (the four groups' quantiles), rows of 66 px of stack height.
    const pixelsPerUnit = 600 / 2.6;
    const { diameter, fits } = dotDiameter(rows, pixelsPerUnit, 66, 16, 1.5);
    expect(fits).toBe(true);
    const tallest = Math.max(...rows.map((r) => tallestStack(r, diameter / pixelsPerUnit)));
    expect(tallest * diameter).toBeLessThanOrEqual(66);
    // A quarter pixel larger would not fit (unless the largest size already fits).
    if (diameter < 16) {
      const bigger = diameter + 0.25;
      expect(Math.max(...rows.map((r) => tallestStack(r, bigger / pixelsPerUnit))) * bigger).toBeGreaterThan(66);
    }
    const width = diameter / pixelsPerUnit;
    for (const values of rows) {
      const layout = layoutDots(values, width);
      expect(layout.x).toHaveLength(100);
      const counts = new Map<number, number>();
      for (let k = 0; k < 100; k++) {
        const b = layout.bin[k];
        // Each dot is drawn at its bin's centre; its quantile is within half a width of the bin's middle.
        expect(layout.x[k]).toBe(layout.binCenter[b]);
        expect(Math.abs(values[k] - layout.binMiddle[b])).toBeLessThan(width / 2);
        expect(layout.stack[k]).toBe(counts.get(b) ?? 0);
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
      for (let b = 1; b < layout.binCenter.length; b++) expect(layout.binCenter[b] - layout.binCenter[b - 1]).toBeGreaterThanOrEqual(width * (1 - 1e-12));
      // Spreading keeps the dots' mean (weighted least squares shifts sum to zero).
      const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
      expect(mean(layout.x)).toBeCloseTo(mean(Array.from(layout.bin, (b) => layout.binMiddle[b])), 12);
    }
  });

  it("shrink to the smallest size and say so when even that overflows the row", () => {
    const same = [new Float64Array(50).fill(1)];
    expect(dotDiameter(same, 100, 40, 16, 1.5)).toEqual({ diameter: 1.5, fits: false });
    expect(dotDiameter(same, 100, 80, 16, 1.5)).toEqual({ diameter: 1.5, fits: true });
  });
});
