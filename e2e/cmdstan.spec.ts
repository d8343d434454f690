// CmdStan's CSV files (the grouped regression's four chains) opened the ways a Stan user would:
// dropped together, picked with Open file or Open folder, by URL; then drawn, diagnosed and linked.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { zipOf } from "../tests/zip-writer.ts";
import { densityMarks, dropFiles, fixture, openFile, openFolder, runQuery, serveFixtures } from "./helpers.ts";

const RUN = "grouped_regression.cmdstan";
const CHAINS = [1, 2, 3, 4].map((k) => `${RUN}/output_${k}.csv`);
const LABELS = ["0", "1", "2", "3"];

/** `beta[beta_dim_0], sigma` on the open run: one density per element of beta, and the tidy table. */
async function expectBetaSigma(page: Page): Promise<void> {
  await runQuery(page, "beta[beta_dim_0], sigma");
  await expect(page.getByRole("figure", { name: "Density of beta by beta_dim_0: 4 curves in 4 facets" })).toBeVisible();
  const { curves, facets } = await densityMarks(page);
  expect(curves).toEqual(LABELS);
  expect(facets).toEqual(LABELS);
  const table = page.getByRole("figure", { name: "Tidy table of beta[beta_dim_0], sigma: 6,400 rows, 5 columns" });
  await expect(table.locator("thead th span")).toHaveText(["chain", "draw", "beta_dim_0", "beta", "sigma"]);
  // output_1.csv's first draw: beta.1 0.35074762718133845, sigma 0.47830134586249906.
  const first = table.locator("tbody tr").first().locator("td");
  await expect(first).toHaveText(["0", "0", "0", "0.350748", "0.478301"]);
  await expect(first.nth(3)).toHaveAttribute("title", "0.35074762718133845");
  await expect(first.nth(4)).toHaveAttribute("title", "0.47830134586249906");
}

test.describe("CmdStan CSV files", () => {
  test("four chains dropped together open as one run, with ArviZ's names, and draw beta[beta_dim_0], sigma", async ({ page }) => {
    await serveFixtures(page);
    await page.goto("/");
    await dropFiles(page, CHAINS);
    const browser = page.getByRole("navigation", { name: "Trace" });
    await expect(browser).toContainText("output_1.csv … output_4.csv");
    await expect(browser).toContainText("CmdStan CSV, 4 chains · 2 groups");
    await expect(browser.getByRole("button", { name: "beta[beta_dim_0] 4×400×4" })).toBeVisible();
    await expect(browser.getByRole("button", { name: "mu[mu_dim_0] 4×400×96" })).toBeVisible();
    await expectBetaSigma(page);
    await page.screenshot({ path: "test-results/cmdstan-dropped.png", fullPage: true });
  });

  test("Open file with the four files or a zip of them, and Open folder with their folder", async ({ page }) => {
    await page.goto("/");
    await openFile(
      page,
      CHAINS.map((path) => fixture(path)),
    );
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("CmdStan CSV, 4 chains");
    await expectBetaSigma(page);
    // A zip inflated as it is read, in the browser's DecompressionStream.
    const zip = zipOf(Object.fromEntries(CHAINS.map((path) => [path, new Uint8Array(readFileSync(fixture(path)))])));
    await openFile(page, { name: "run.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("run.zip");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("CmdStan CSV, 4 chains");
    await expectBetaSigma(page);
    await openFolder(page, fixture(RUN));
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText(RUN);
    await expectBetaSigma(page);
  });

  test("one chain by Open URL", async ({ page }) => {
    await serveFixtures(page);
    await page.goto("/");
    await page.getByRole("textbox", { name: "Store URL" }).fill(`/__fixtures/${CHAINS[0]}`);
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("CmdStan CSV, 1 chain");
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Tidy table of sigma: 400 rows, 3 columns" })).toBeVisible();
  });

  test("the sampler panel draws CmdStan's sample_stats", async ({ page }) => {
    await page.goto("/");
    await openFolder(page, fixture(RUN));
    await page.getByRole("region", { name: "Sampler" }).getByRole("button", { name: "Sampler statistics of sample_stats" }).click();
    const figure = page.locator("section.panel[data-kind=sampler] figure.panel-figure");
    // The same energies as the Zarr example's, so the same E-BFMI (tests/bfmi.test.ts).
    await expect(figure).toHaveAccessibleName("Energy of the sampler: 4 chains × 400 draws, E-BFMI 1.657–1.947");
    await expect(figure.locator('g[aria-description="energy"] path')).toHaveCount(1);
    await page.locator("section.panel[data-kind=sampler]").getByRole("combobox", { name: "Statistic" }).selectOption("step_size");
    await expect(figure.locator("figcaption")).toContainText("chain 0 0.8, chain 1 0.81, chain 2 0.82, chain 3 0.83.");
  });

  test("a link made on the run applies when the same files are dropped again", async ({ page, context }) => {
    await serveFixtures(page);
    await page.goto("/");
    await dropFiles(page, CHAINS);
    await runQuery(page, "intercept[intercept_dim_0]");
    const link = page.url();
    expect(link).toContain(`local=${encodeURIComponent("output_1.csv … output_4.csv")}&fp=`);

    const other = await context.newPage();
    await serveFixtures(other);
    await other.goto(link);
    await expect(other.getByRole("status").filter({ hasText: "Open the trace to see this view" })).toBeVisible();
    await dropFiles(other, CHAINS);
    await expect(other.getByRole("combobox", { name: "Query" })).toHaveValue("intercept[intercept_dim_0]");
    await expect(other.getByRole("figure", { name: "Density of intercept by intercept_dim_0: 4 curves in 4 facets" })).toBeVisible();
    await expect(other.getByRole("alert")).toHaveCount(0);
  });

  test("chains of unequal length are refused by name, and the open run stays usable", async ({ page }) => {
    await page.goto("/");
    await openFolder(page, fixture(RUN));
    // The run must have opened before the bad files come: an open still under way is replaced, not kept.
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("CmdStan CSV, 4 chains");
    const text = readFileSync(fixture(CHAINS[1]), "utf8");
    const short = `${text.split("\n").slice(0, 300).join("\n")}\n`;
    await openFile(page, [
      { name: "output_1.csv", mimeType: "text/csv", buffer: readFileSync(fixture(CHAINS[0])) },
      { name: "output_2.csv", mimeType: "text/csv", buffer: Buffer.from(short) },
    ]);
    const notice = page.getByRole("alert").filter({ hasText: "Could not open output_1.csv … output_2.csv" });
    await expect(notice).toContainText("output_2.csv: the chains have different lengths: output_2.csv has 248 draws, output_1.csv has 400 draws.");
    await expect(notice).toContainText("open the chains that finished (leave the short ones out), or run the sampler again");
    await expect(notice).toContainText(`Still open: ‘${RUN}’.`);
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expectBetaSigma(page);
  });
});
