// Several models at once as a user compares them: the centered and non-centered eight schools
// opened beside each other, a query stacked by a model column, and LOO's comparison as R's loo_compare.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { addPanel, fixture, openFolder, runQuery, serveFixtures } from "./helpers.ts";

test("the centered and non-centered eight schools side by side: stacked draws, LOO compared as loo_compare, renamed and removed", async ({ page }) => {
  const golden = JSON.parse(readFileSync(fixture("arviz", "compare_eight.json"), "utf8")).results.r_eff_relative.models as { model: string; elpd_diff: number; se_diff: number }[];
  await page.goto("/");
  await openFolder(page, fixture("arviz", "centered_eight.zarr"));
  await expect(page.getByRole("button", { name: "Add model" })).toBeEnabled();
  await page.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByRole("button", { name: "Adding a model…" })).toHaveAttribute("aria-pressed", "true");
  await openFolder(page, fixture("arviz", "non_centered_eight.v3.zarr"));
  const models = page.getByRole("region", { name: "Models" });
  await expect(models.getByRole("textbox", { name: "Name of model 1" })).toHaveValue("centered_eight");
  await expect(models.getByRole("textbox", { name: "Name of model 2" })).toHaveValue("non_centered_eight");

  await runQuery(page, "mu, tau");
  const table = page.getByRole("figure", { name: "Tidy table of mu, tau: 4,000 rows, 5 columns" });
  await expect(table.locator("thead th span")).toHaveText(["model", "chain", "draw", "mu", "tau"]);

  // One forest of the eight schools' theta with the two models dodged in each row.
  await runQuery(page, "theta[school]");
  const intervals = await addPanel(page, "interval");
  const forest = intervals.getByRole("figure", { name: "Intervals of theta by school and model: 16 intervals in 8 rows, median with 50% and 89% ETI" });
  await expect(forest).toBeVisible();
  await expect(forest.locator('g[aria-description="points"] circle')).toHaveCount(16);
  await intervals.screenshot({ path: "docs/models-forest.png" });
  await runQuery(page, "mu, tau");

  await page.getByRole("button", { name: "LOO" }).click();
  const loo = page.getByRole("region", { name: "PSIS-LOO" });
  const comparison = loo.getByRole("table", { name: "Model comparison" });
  await expect(comparison.locator("tbody th")).toHaveText(golden.map((m) => m.model));
  const diff = Number(await comparison.locator("tbody tr").nth(1).locator("td").nth(4).getAttribute("title"));
  const se = Number(await comparison.locator("tbody tr").nth(1).locator("td").nth(5).getAttribute("title"));
  expect(Math.abs(diff - golden[1].elpd_diff)).toBeLessThan(1e-6);
  expect(Math.abs(se - golden[1].se_diff)).toBeLessThan(1e-6);
  await expect(comparison.locator("tbody tr").nth(1).locator(".loo-diag")).toHaveText("N < 100");
  await page.screenshot({ path: "docs/models.png" });

  // The diagnostics table: every model's rows, named by model.
  await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
  const diagnostics = page.getByRole("region", { name: "Diagnostics" });
  await expect(diagnostics).toContainText("2 models");
  await expect(diagnostics.locator(".diag-name", { hasText: /^centered_eight: mu$/ })).toHaveCount(1);
  await expect(diagnostics.locator(".diag-name", { hasText: /^non_centered_eight: mu$/ })).toHaveCount(1);
  await page.getByRole("button", { name: "Close diagnostics" }).click();

  // Against a chosen reference, the centered model's difference is the negation.
  await loo.getByRole("combobox", { name: "Against" }).selectOption("centered_eight");
  await expect(comparison.locator("tbody tr").nth(0).locator("td").nth(4)).toHaveAttribute("title", String(-diff));

  await models.getByRole("textbox", { name: "Name of model 2" }).fill("non-centered");
  await models.getByRole("textbox", { name: "Name of model 2" }).press("Enter");
  await expect(page.getByRole("figure", { name: "Tidy table of mu, tau: 4,000 rows, 5 columns" }).locator("tbody tr").last().locator("td").first()).toHaveText(/centered/);
  await models.getByRole("button", { name: "Remove model centered_eight" }).click();
  await expect(page.getByRole("region", { name: "Models" })).toHaveCount(0);
  await expect(page.getByRole("figure", { name: "Tidy table of mu, tau: 2,000 rows, 4 columns" })).toBeVisible();
  await expect(loo.getByRole("table", { name: "PSIS-LOO estimates" })).toBeVisible();
});

test("a link to two models served by URL reopens both, with their names, and the comparison", async ({ page, context }) => {
  await serveFixtures(page);
  await page.goto("/");
  const openUrl = async (url: string) => {
    await page.getByRole("textbox", { name: "Store URL" }).fill(url);
    await page.getByRole("button", { name: "Open URL" }).click();
  };
  const origin = new URL(page.url()).origin;
  await openUrl(`${origin}/__fixtures/arviz/centered_eight.zarr`);
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight.zarr");
  await page.getByRole("button", { name: "Add model" }).click();
  await openUrl(`${origin}/__fixtures/arviz/non_centered_eight.v3.zarr`);
  const models = page.getByRole("region", { name: "Models" });
  await models.getByRole("textbox", { name: "Name of model 1" }).fill("centered");
  await models.getByRole("textbox", { name: "Name of model 1" }).press("Enter");
  // The rename reads the query again, the model column now naming "centered".
  await expect(page.getByRole("status", { name: "Progress" })).toHaveCount(0);
  await expect(page).toHaveURL(/&name=centered&/);
  await page.getByRole("button", { name: "LOO" }).click();
  await expect(page.getByRole("table", { name: "Model comparison" }).locator("tbody th")).toHaveText(["non_centered_eight", "centered"]);
  const link = page.url();
  expect(link).toContain("&name=centered&model=non_centered_eight;url=");

  const other = await context.newPage();
  await other.goto(link);
  const reopened = other.getByRole("region", { name: "Models" });
  await expect(reopened.getByRole("textbox", { name: "Name of model 1" })).toHaveValue("centered");
  await expect(reopened.getByRole("textbox", { name: "Name of model 2" })).toHaveValue("non_centered_eight");
  await expect(other.getByRole("table", { name: "Model comparison" }).locator("tbody th")).toHaveText(["non_centered_eight", "centered"]);
  await expect(other.getByRole("alert")).toHaveCount(0);
});
