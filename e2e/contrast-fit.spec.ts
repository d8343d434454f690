import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator } from "@playwright/test";
import { openPath } from "../src/engine/store/node.ts";
import { contrastRows } from "../src/panels/contrast/rows.ts";
import { aboveZeroText } from "../src/panels/contrast/panel.ts";
import { addPanel, FIXTURES, openExample, runQuery } from "./helpers.ts";

const FIT_QUERY = "mu[obs_ind], constant_data/x, constant_data/group_idx, observed_data/y";

/** The aria-labels of the elements inside the mark described as `description`. */
async function markLabels(figure: Locator, description: string, element: string): Promise<(string | null)[]> {
  return figure.locator(`g[aria-description="${description}"] ${element}`).evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")));
}

/** P(>0) per contrast of beta between groups, computed by the engine in Node for the same query. */
async function expectedAbove(mode: "reference" | "pairs", reference?: string) {
  const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
  const table = await trace.extract("beta[groups], sigma");
  const { rows } = contrastRows(table, { value: "beta", dim: "groups", mode, reference, point: "median", interval: "eti", probs: [0.89] });
  return rows.map((r) => ({ label: r.label, above: r.above, n: r.summary.n, text: aboveZeroText(r.above / r.summary.n) }));
}

test.describe("contrasts", () => {
  test("against North: three rows with intervals, a zero line and P(>0); all pairs: six", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const panel = await addPanel(page, "contrast");
    const figure = panel.locator("figure.panel-figure");
    await expect(figure).toHaveAccessibleName("Contrasts of beta between groups vs North: 3 rows");
    await expect(panel.getByLabel(/^Reference/)).toHaveValue("North");
    await expect(panel.getByLabel(/^Reference/).locator("option")).toHaveText(["North", "South", "East", "West"]);
    await expect(figure.locator('g[aria-description="zero line"] line')).toHaveCount(1);

    const expected = await expectedAbove("reference", "North");
    expect(expected.map((e) => e.label)).toEqual(["South - North", "East - North", "West - North"]);
    const rows = await markLabels(figure, "contrast intervals", "line");
    expect(rows).toHaveLength(3);
    rows.forEach((label, i) => {
      const e = expected[i];
      expect(label).toMatch(
        new RegExp(`^${e.label}: median -?[\\d.]+, 89% ETI \\[-?[\\d.]+, -?[\\d.]+\\], ${e.text.replace(/[()>.]/g, "\\$&")} \\(${e.above.toLocaleString("en-US")} of 1,600 draws\\)$`),
      );
    });
    await expect(figure.locator('g[aria-description="P(>0)"] text')).toHaveText(expected.map((e) => e.text));
    await expect(figure).toContainText("P(>0) is the share of a contrast's draws above zero");
    // The zero line sits under the axis' 0 label.
    const line = (await figure.locator('g[aria-description="zero line"] line').boundingBox())!;
    const zero = (await figure
      .locator('g[aria-label="x-axis tick label"] text')
      .filter({ hasText: /^0(\.0)?$/ })
      .boundingBox())!;
    expect(Math.abs(line.x + line.width / 2 - (zero.x + zero.width / 2))).toBeLessThan(1.5);
    await panel.screenshot({ path: "/tmp/contrast-reference.png" });

    await panel.getByLabel("Compare").selectOption("pairs");
    await expect(figure).toHaveAccessibleName("Contrasts of beta between groups, all pairs: 6 rows");
    const pairs = await expectedAbove("pairs");
    expect((await markLabels(figure, "contrast intervals", "line")).map((l) => l!.split(":")[0])).toEqual(pairs.map((p) => p.label));
    await expect(figure.locator('g[aria-description="P(>0)"] text')).toHaveText(pairs.map((p) => p.text));
    await expect(figure.locator('g[aria-description="zero line"] line')).toHaveCount(1);
    await panel.screenshot({ path: "/tmp/contrast-pairs.png" });

    await panel.getByLabel("Compare").selectOption("reference");
    await panel.getByLabel(/^Reference/).selectOption("East");
    await expect(figure).toHaveAccessibleName("Contrasts of beta between groups vs East: 3 rows");
    expect((await markLabels(figure, "contrast intervals", "line")).map((l) => l!.split(":")[0])).toEqual(["North - East", "South - East", "West - East"]);

    // The contrast draws are a tidy table of their own: 3 contrasts × 1,600 draws.
    await panel.getByRole("button", { name: "Export" }).click();
    const download = page.waitForEvent("download");
    await panel.getByRole("button", { name: "Contrast draws as CSV" }).click();
    const csv = readFileSync(await (await download).path(), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("chain,draw,contrast,beta");
    expect(csv).toHaveLength(1 + 3 * 1600);
    expect(new Set(csv.slice(1).map((line) => line.split(",")[2]))).toEqual(new Set(["North - East", "South - East", "West - East"]));

    // sigma is the same in every group: its contrasts are zero, and the caption says why.
    await panel.getByLabel("Value").selectOption("sigma");
    await expect(figure).toHaveAccessibleName("Contrasts of sigma between groups vs East: 3 rows");
    await expect(figure).toContainText("sigma does not vary over groups, so its contrasts are zero.");
    await expect(figure.locator('g[aria-description="P(>0)"] text')).toHaveText(["P(>0) = 0.00", "P(>0) = 0.00", "P(>0) = 0.00"]);
  });

  test("stacked posterior and prior are dodged, one line per source in each contrast", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const panel = await addPanel(page, "contrast");
    const figure = panel.locator("figure.panel-figure");
    await expect(figure).toHaveAccessibleName("Contrasts of beta between groups vs North: 6 rows");
    const rows = await markLabels(figure, "contrast intervals", "line");
    expect(rows.map((l) => l!.split(":")[0])).toEqual([
      "South - North (posterior)",
      "South - North (prior)",
      "East - North (posterior)",
      "East - North (prior)",
      "West - North (posterior)",
      "West - North (prior)",
    ]);
    await panel.screenshot({ path: "/tmp/contrast-stacked.png" });
  });
});

test.describe("fit and data", () => {
  test("ribbons, the median line and the observed points; colour by group; single draws", async ({ page }) => {
    await openExample(page);
    await runQuery(page, FIT_QUERY);
    const panel = await addPanel(page, "fit");
    const figure = panel.locator("figure.panel-figure");
    // Reading 150k rows can take a while on a busy machine.
    await expect(figure).toHaveAttribute("data-query", FIT_QUERY, { timeout: 30_000 });
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y");
    for (const p of [50, 80, 95]) await expect(figure.locator(`g[aria-description="${p}% interval"] path`)).toHaveCount(1);
    await expect(figure.locator('g[aria-description$="% interval"]')).toHaveCount(3);
    await expect(figure.locator('g[aria-description="median line"] path')).toHaveCount(1);
    await expect(figure.locator('g[aria-description="observed y"] circle')).toHaveCount(96);
    await expect(figure).toContainText("x: x (picked automatically). Observed: y (picked automatically).");
    await panel.screenshot({ path: "/tmp/fit-plain.png" });

    await panel.getByLabel("Group by").selectOption("group_idx");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y, coloured by group_idx (4 groups)");
    for (const p of [50, 80, 95]) {
      expect(await markLabels(figure, `${p}% interval`, "path")).toEqual(["group_idx 0", "group_idx 1", "group_idx 2", "group_idx 3"]);
    }
    await expect(figure.locator('g[aria-description="median line"] path')).toHaveCount(4);
    await expect(figure.locator('g[aria-description="observed y"] circle')).toHaveCount(96);

    await panel.getByLabel("Single draws").fill("5");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y, coloured by group_idx (4 groups), 5 single draws");
    const traces = await markLabels(figure, "single draws", "path");
    expect(traces).toHaveLength(20);
    expect(traces.slice(0, 4)).toEqual(["chain 0, draw 160 (group_idx 0)", "chain 0, draw 160 (group_idx 1)", "chain 0, draw 160 (group_idx 2)", "chain 0, draw 160 (group_idx 3)"]);
    await panel.screenshot({ path: "/tmp/fit-colour-spaghetti.png" });

    await panel.getByLabel("Groups as").selectOption("facet");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y, faceted by group_idx (4 groups), 5 single draws");
    await expect(figure.locator('g[aria-label="fy-axis tick label"] text')).toHaveText(["0", "1", "2", "3"]);
    await panel.screenshot({ path: "/tmp/fit-facet.png" });

    await panel.getByLabel("Group by").selectOption("");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y, 5 single draws");
    expect(await markLabels(figure, "single draws", "path")).toEqual(["chain 0, draw 160", "chain 1, draw 80", "chain 2, draw 0", "chain 2, draw 320", "chain 3, draw 240"]);
  });

  test("posterior and prior side by side", async ({ page }) => {
    await openExample(page);
    await runQuery(page, FIT_QUERY);
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const panel = await addPanel(page, "fit");
    const figure = panel.locator("figure.panel-figure");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 192 observations, 50/80/95% intervals, observed y", { timeout: 30_000 });
    await expect(figure.locator('g[aria-label="fx-axis tick label"] text')).toHaveText(["posterior", "prior"]);
    expect(await markLabels(figure, "median line", "path")).toEqual(["posterior", "prior"]);
    await expect(figure.locator('g[aria-description="observed y"] circle')).toHaveCount(192);
    await panel.screenshot({ path: "/tmp/fit-stacked.png" });
  });
});
