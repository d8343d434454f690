import { expect, test } from "@playwright/test";

test.describe("engine preview in Chromium (engine in a Web Worker)", () => {
  test("opens the bundled example, runs a query, and marks a bad spec", async ({ page }) => {
    await page.goto("/");
    const outline = page.getByRole("navigation", { name: "Trace" });
    await expect(outline).toContainText("grouped_regression.zarr.zip · Zarr v2");
    await expect(outline.getByRole("listitem").first()).toHaveText("beta[groups] 4×400×4 float64");
    await expect(outline).toContainText("mu[obs_ind] 4×400×96");

    const query = page.getByRole("textbox", { name: "Query" });
    await query.fill("beta[groups], sigma");
    await query.press("Enter");
    const table = page.getByRole("figure", { name: "Tidy table of beta[groups], sigma" });
    await expect(table).toContainText("6,400 rows");
    await expect(table).toContainText("chain: Int32 · draw: Int32 · groups: Dictionary<Int8, Utf8> · beta: Float64 · sigma: Float64");
    const firstRow = table.locator("tbody tr").first().locator("td");
    await expect(firstRow).toHaveText(["0", "0", "North", "0.35074762718133845", "0.47830134586249906"]);
    await page.screenshot({ path: "docs/engine-preview.png" });

    // mu's chunks are large enough to be decoded by the pool of decode workers.
    await query.fill("mu[obs_ind]");
    await query.press("Enter");
    const mu = page.getByRole("figure", { name: "Tidy table of mu[obs_ind]" });
    await expect(mu).toContainText("153,600 rows");
    await expect(mu.locator("tbody tr").nth(1).locator("td")).toHaveText(["0", "0", "1", "-1.9559672582883534"]);

    await query.fill("beta[group], sigma");
    await query.press("Enter");
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?");
    await expect(alert.locator("mark")).toHaveText("group");
  });

  test("opens a zipped v3 store picked with Open zip", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v2");
    await page.getByText("Open zip…").locator("input").setInputFiles("../shared/fixtures/grouped_regression.v3.zarr.zip");
    const outline = page.getByRole("navigation", { name: "Trace" });
    await expect(outline).toContainText("grouped_regression.v3.zarr.zip · Zarr v3");
    const query = page.getByRole("textbox", { name: "Query" });
    await query.fill("intercept[groups]");
    await query.press("Enter");
    const table = page.getByRole("figure", { name: "Tidy table of intercept[groups]" });
    await expect(table).toContainText("6,400 rows");
    await expect(table.locator("tbody tr").nth(1).locator("td")).toHaveText(["0", "0", "South", "0.23310080529680793"]);
  });

  test("a file that is not a zip gets a clear error and the open trace stays usable", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v2");
    await page.getByText("Open zip…").locator("input").setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("hello") });
    await expect(page.getByRole("alert")).toContainText("notes.zip is not a readable zip file");
    const query = page.getByRole("textbox", { name: "Query" });
    await query.fill("sigma");
    await query.press("Enter");
    await expect(page.getByRole("figure", { name: "Tidy table of sigma" })).toContainText("1,600 rows");
  });
});
