// Expressions in the query bar, as a user meets them: a named expression's density and its
// diagnostics rows, a link that restores it, completion inside it, and a positioned error.
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { densityMarks, openExample, runQuery } from "./helpers.ts";

const DOCS = join(import.meta.dirname, "..", "docs");
const GROUPS = ["North", "South", "East", "West"];
const QUERY = "odds = exp(beta[groups]), slope_diff = beta[groups] - beta[groups=North]";

const diagnostics = (page: Page) => page.getByRole("region", { name: "Diagnostics" });

test.describe("expressions in the query", () => {
  test("a named expression has its density, its diagnostics rows and a link that restores it", async ({ page, context }) => {
    await openExample(page);
    await runQuery(page, QUERY);
    const density = page.getByRole("figure", { name: "Density of odds by groups: 4 curves in 4 facets" });
    await expect(density).toBeVisible();
    const { curves, facets } = await densityMarks(page);
    expect(curves).toEqual(GROUPS);
    expect(facets).toEqual(GROUPS);
    const table = page.getByRole("figure", { name: `Tidy table of ${QUERY}: 6,400 rows, 5 columns` });
    await expect(table.locator("thead th span")).toHaveText(["chain", "draw", "groups", "odds", "slope_diff"]);
    // chain 0, draw 0, North in the golden table: beta 0.35074762718133845.
    const first = table.locator("tbody tr").first().locator("td");
    await expect(first.nth(3)).toHaveAttribute("title", String(Math.exp(0.35074762718133845)));
    await expect(first.nth(4)).toHaveText("0");

    await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
    await diagnostics(page)
      .getByLabel("Scope")
      .selectOption({ label: `the query (${QUERY})` });
    await expect(diagnostics(page).locator(".diag-counts")).toHaveText(/^8 elements/);
    const names = await diagnostics(page).locator(".diag-name").allTextContents();
    expect(names).toEqual(expect.arrayContaining([...GROUPS.map((g) => `odds[${g}]`), ...GROUPS.map((g) => `slope_diff[${g}]`)]));
    await page.screenshot({ path: join(DOCS, "expressions.png"), fullPage: true });

    // The link carries the query; a fresh page restores the same figure.
    await expect(page).toHaveURL(/odds/);
    const again = await context.newPage();
    await again.goto(page.url());
    await expect(again.getByRole("combobox", { name: "Query" })).toHaveValue(QUERY);
    await expect(again.getByRole("figure", { name: "Density of odds by groups: 4 curves in 4 facets" })).toBeVisible();
  });

  test("completion offers functions and operands inside an expression; an unknown function is underlined", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "sigma");
    const input = page.getByRole("combobox", { name: "Query" });
    await input.fill("p = ex");
    await expect(page.getByRole("option", { name: /^exp\(\)/ })).toBeVisible();
    await input.fill("p = exp(be");
    await expect(page.getByRole("option", { name: /^beta\[groups\]/ })).toBeVisible();
    await input.fill("p = exq(sigma)");
    await input.press("Escape");
    await input.press("Enter");
    const error = page.getByRole("alert").filter({ hasText: "no function 'exq'" });
    await expect(error).toContainText("did you mean 'exp'?");
    // The figure of the last good query stays.
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
  });
});
