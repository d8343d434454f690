// The eight plots of the seed page (docs/semantics.md), each built on the example
// through the UI as a user would, asserted by its marks, and photographed for the README.
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { addPanel, openExample, runQuery } from "./helpers.ts";

const DOCS = join(import.meta.dirname, "..", "docs");
const GROUPS = ["North", "South", "East", "West"];

/** Keep only the panel being photographed (the query's default panels are removed). */
async function soleFigure(page: Page, kind: string): Promise<{ panel: Locator; figure: Locator }> {
  const panel = await addPanel(page, kind);
  for (const other of ["Density", "Table"]) {
    if (kind !== other.toLowerCase()) await page.getByRole("button", { name: `Remove ${other} panel` }).click();
  }
  return { panel, figure: panel.locator("figure.panel-figure") };
}

const ariaLabels = (figure: Locator, selector: string) => figure.locator(selector).evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")));

test.describe("the seed's eight plots, built through the UI on the example", () => {
  test("1. posterior density of beta[groups], one facet per group, a reference line where the user marks one", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    await page.getByRole("button", { name: "Remove Table panel" }).click();
    const panel = page.locator("section.panel[data-kind=density]");
    const figure = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" });
    await expect(figure).toBeVisible();
    expect(await ariaLabels(figure, 'g[aria-description="density curves"] path')).toEqual(GROUPS);
    await expect(figure.locator('g[aria-label="fy-axis tick label"] text')).toHaveText(GROUPS);
    // The user marks a reference by clicking the plot; the rule appears in every facet.
    const frame = (await figure.locator("svg").first().boundingBox())!;
    await page.mouse.click(frame.x + frame.width * 0.45, frame.y + frame.height * 0.5);
    await expect(panel.getByRole("textbox", { name: "Reference", exact: true })).not.toHaveValue("");
    await expect(figure.locator('g[aria-description="reference line"] line')).toHaveCount(4);
    await expect(page).toHaveURL(/panel=density;[^&]*ref=-?[\d.]+/);
    await panel.screenshot({ path: join(DOCS, "seed-1-density.png") });
  });

  test("2. forest plot: per group, the median and the 89% interval", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const { panel, figure } = await soleFigure(page, "interval");
    await expect(figure).toHaveAccessibleName("Intervals of beta by groups: 4 rows, median with 50% and 89% ETI");
    // Medians and 89% ETIs of cases.json, to the three digits the labels show.
    expect(await ariaLabels(figure, 'g[aria-description="points"] circle')).toEqual([
      "North: 0.421 [0.302, 0.536]",
      "South: 0.795 [0.678, 0.911]",
      "East: 1.41 [1.3, 1.54]",
      "West: -0.587 [-0.706, -0.467]",
    ]);
    await expect(figure.locator('g[aria-description="outer intervals"] line')).toHaveCount(4);
    await expect(figure.locator('g[aria-description="inner intervals"] line')).toHaveCount(4);
    await panel.getByLabel("Reference").fill("0");
    await expect(figure.locator('g[aria-description="reference line"] line')).toHaveCount(1);
    await panel.screenshot({ path: join(DOCS, "seed-2-forest.png") });
  });

  test("3. quantile dotplot: 100 equally likely dots per group", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const { panel, figure } = await soleFigure(page, "dots");
    await expect(figure).toHaveAccessibleName("Quantile dots of beta by groups: 100 dots in each of 4 rows");
    await expect(figure.locator('g[aria-description="quantile dots"] circle')).toHaveCount(400);
    await panel.screenshot({ path: join(DOCS, "seed-3-dots.png") });
  });

  test("4. contrasts against a reference group, with 89% intervals and a zero line", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const { panel, figure } = await soleFigure(page, "contrast");
    await expect(figure).toHaveAccessibleName("Contrasts of beta between groups vs North: 3 rows");
    const rows = await ariaLabels(figure, 'g[aria-description="contrast intervals"] line');
    expect(rows.map((r) => r!.split(":")[0])).toEqual(["South - North", "East - North", "West - North"]);
    expect(rows.every((r) => / 89% ETI /.test(r!))).toBe(true);
    await expect(figure.locator('g[aria-description="zero line"] line')).toHaveCount(1);
    await expect(figure.locator('g[aria-description="P(>0)"] text')).toHaveCount(3);
    await panel.screenshot({ path: join(DOCS, "seed-4-contrasts.png") });
  });

  test("5. beta by group, jittered, coloured by each draw's sigma (a continuous colour scale)", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const { panel, figure } = await soleFigure(page, "pairs");
    await panel.getByRole("combobox", { name: "x", exact: true }).selectOption("beta");
    await panel.getByRole("combobox", { name: "y", exact: true }).selectOption("groups");
    await panel.getByRole("combobox", { name: "Colour by", exact: true }).selectOption("sigma");
    await expect(figure).toHaveAccessibleName("Pairs of beta and groups: 6,400 points, coloured by sigma");
    await expect(figure.locator('g[aria-description="points"] circle')).toHaveCount(6400);
    await expect(figure.locator('g[aria-label="y-axis tick label"] text')).toHaveText(["West", "East", "South", "North"]);
    await expect(figure.locator(".pairs-legend svg")).toContainText("sigma");
    await panel.screenshot({ path: join(DOCS, "seed-5-jitter.png") });
  });

  test("6. prior against posterior: densities of both, and intervals dodged by source", async ({ page }) => {
    await openExample(page);
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    await runQuery(page, "beta[groups]");
    const { panel, figure } = await soleFigure(page, "prior");
    await expect(figure.locator('svg[aria-description="prior vs posterior facet"]')).toHaveCount(4);
    expect(await ariaLabels(figure, 'g[aria-description="density curves"] path')).toEqual(GROUPS.flatMap((g) => [`${g} · posterior`, `${g} · prior`]));
    await expect(figure.locator('g[aria-description="outer intervals"] line')).toHaveCount(8);
    await panel.screenshot({ path: join(DOCS, "seed-6-prior.png") });
  });

  test("7. fit and data: nested 50/80/95% ribbons, the median line, observed y, a few single draws", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "mu[obs_ind], constant_data/x, constant_data/group_idx, observed_data/y");
    const { panel, figure } = await soleFigure(page, "fit");
    await panel.getByLabel("Group by").selectOption("group_idx");
    await panel.getByLabel("Single draws").fill("5");
    await expect(figure).toHaveAccessibleName("Fit of mu against x: 96 observations, 50/80/95% intervals, observed y, coloured by group_idx (4 groups), 5 single draws");
    for (const p of [50, 80, 95]) await expect(figure.locator(`g[aria-description="${p}% interval"] path`)).toHaveCount(4);
    await expect(figure.locator('g[aria-description="median line"] path')).toHaveCount(4);
    await expect(figure.locator('g[aria-description="observed y"] circle')).toHaveCount(96);
    await expect(figure.locator('g[aria-description="single draws"] path')).toHaveCount(20);
    await panel.screenshot({ path: join(DOCS, "seed-7-fit.png") });
  });

  test("8. two parameters against each other: a scatter with 2-D density contours", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], intercept[groups]");
    const { panel, figure } = await soleFigure(page, "pairs");
    // The first two number columns against each other, coloured by their dimension.
    await expect(figure).toHaveAccessibleName("Pairs of beta and intercept: 6,400 points, coloured by groups");
    await panel.getByRole("checkbox", { name: "Contours" }).check();
    for (const share of ["50%", "80%", "95%"]) {
      await expect(figure.locator(`g[aria-description="contours ${share}"]`)).toHaveCount(4);
      await expect(figure.locator(`g[aria-description="contours ${share}"] path`)).not.toHaveCount(0);
    }
    await panel.screenshot({ path: join(DOCS, "seed-8-contours.png") });
  });

  test("a link carries every panel's options: the same plots come back in a new page", async ({ page, context }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const interval = await addPanel(page, "interval");
    await interval.getByLabel("Sort").selectOption("ascending");
    await interval.getByRole("combobox", { name: "Interval", exact: true }).selectOption("hdi");
    await interval.getByLabel("Reference").fill("0");
    const contrast = await addPanel(page, "contrast");
    await contrast.getByLabel("Compare").selectOption("reference");
    await contrast.getByLabel(/^Reference/).selectOption("East");
    const pairs = await addPanel(page, "pairs");
    await pairs.getByRole("combobox", { name: "x", exact: true }).selectOption("beta");
    await pairs.getByRole("combobox", { name: "y", exact: true }).selectOption("groups");
    await pairs.getByRole("combobox", { name: "Colour by", exact: true }).selectOption("sigma");
    const names = ["Intervals of beta by groups: 4 rows, median with 50% and 89% HDI", "Contrasts of beta between groups vs East: 3 rows", "Pairs of beta and groups: 6,400 points, coloured by sigma"];
    for (const name of names) await expect(page.getByRole("figure", { name })).toBeVisible();
    const sorted = async (p: Page) => ariaLabels(p.getByRole("figure", { name: names[0] }), 'g[aria-description="points"] circle');
    const order = await sorted(page);
    expect(order.map((l) => l!.split(":")[0])).toEqual(["West", "North", "South", "East"]);
    await expect(page).toHaveURL(/panel=interval;[^&]*sort=ascending/);

    const fresh = await context.newPage();
    await fresh.goto(page.url());
    for (const name of names) await expect(fresh.getByRole("figure", { name })).toBeVisible();
    expect(await sorted(fresh)).toEqual(order);
    await expect(fresh.getByRole("figure", { name: names[0] }).locator('g[aria-description="reference line"] line')).toHaveCount(1);
  });
});
