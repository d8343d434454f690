// ArviZ's NetCDF files (idata.to_netcdf) opened as a user would: Open file, a drop; drawn,
// linked with the Zarr copy's fingerprint, and refused by name when they cannot be read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { chromiumRss } from "../bench/chromium-memory.ts";
import { writeLargeNetcdf } from "../tests/large-netcdf.ts";
import { densityMarks, dropFile, expectBetaSigma, fixture, openFile, openFolder, runQuery, serveFixtures } from "./helpers.ts";

const SCHOOLS = ["Choate", "Deerfield", "Phillips Andover", "Phillips Exeter", "Hotchkiss", "Lawrenceville", "St. Paul's", "Mt. Hermon"];

test.describe("NetCDF files", () => {
  test("grouped_regression.nc from Open file draws beta[groups], sigma as the Zarr store does", async ({ page }) => {
    await page.goto("/");
    await openFile(page, fixture("grouped_regression.nc"));
    const browser = page.getByRole("navigation", { name: "Trace" });
    await expect(browser).toContainText("grouped_regression.nc");
    await expect(browser).toContainText("NetCDF-4");
    await expect(browser.getByRole("button", { name: "mu[obs_ind] 4×400×96" })).toBeVisible();
    await expectBetaSigma(page);
    await page.screenshot({ path: "test-results/netcdf-open-file.png", fullPage: true });
  });

  test("ArviZ's centered eight schools dropped on the page: theta by school, gzip-compressed chunks and string labels", async ({ page }) => {
    await serveFixtures(page);
    await page.goto("/");
    await dropFile(page, "arviz/centered_eight.nc", "centered_eight.nc");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight.nc");
    await runQuery(page, "theta[school]");
    await expect(page.getByRole("figure", { name: "Density of theta by school: 8 curves in 8 facets" })).toBeVisible();
    expect((await densityMarks(page)).curves).toEqual(SCHOOLS);
  });

  test("a link made on the Zarr store applies when the NetCDF file of the same trace is opened", async ({ page, context }) => {
    await page.goto("/");
    await openFolder(page, fixture("grouped_regression.zarr"));
    await runQuery(page, "intercept[groups]");
    const link = page.url();
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByRole("status").filter({ hasText: "Open the trace to see this view" })).toBeVisible();
    await openFile(other, fixture("grouped_regression.nc"));
    await expect(other.getByRole("combobox", { name: "Query" })).toHaveValue("intercept[groups]");
    await expect(other.getByRole("figure", { name: "Density of intercept by groups: 4 curves in 4 facets" })).toBeVisible();
    await expect(other.getByRole("alert")).toHaveCount(0);
  });

  test("a netCDF-3 file and a cut HDF5 file are refused by name, and the open trace stays usable", async ({ page }) => {
    await page.goto("/");
    await openFile(page, fixture("grouped_regression.nc"));
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("NetCDF-4");
    await openFile(page, { name: "classic.nc", mimeType: "application/x-netcdf", buffer: Buffer.from("CDF\x01\0\0\0\0", "latin1") });
    const classic = page.getByRole("alert").filter({ hasText: "Could not open classic.nc" });
    await expect(classic).toContainText("classic.nc is a netCDF-3 (classic) file, which has no groups for an ArviZ trace");
    await expect(classic).toContainText('Save the trace that way, or as Zarr (idata.to_zarr("trace.zarr")).');
    await expect(classic).toContainText("Still open: ‘grouped_regression.nc’.");
    await classic.getByRole("button", { name: "Dismiss" }).click();
    await openFile(page, { name: "cut.nc", mimeType: "application/x-netcdf", buffer: Buffer.concat([Buffer.from("\x89HDF\r\n\x1a\n", "latin1"), Buffer.alloc(64)]) });
    const cut = page.getByRole("alert").filter({ hasText: "Could not open cut.nc" });
    await expect(cut).toContainText("cannot open cut.nc as a netCDF-4 (HDF5) file");
    await cut.getByRole("button", { name: "Dismiss" }).click();
    await expectBetaSigma(page);
  });
});

test.describe("a NetCDF file larger than memory should hold", () => {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-large-nc-"));
  const path = join(dir, "theta-70000.nc");
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // 4 chains × 1000 draws × 70,000 parameters of float64, uncompressed: 2.24 GB, offsets past 2 GiB.
    await writeLargeNetcdf(path, 70_000);
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a 2.2 GB file opened with Open file is read in place: a query reads its part, and memory stays far below the file", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/");
    const before = chromiumRss();
    await openFile(page, path);
    const browser = page.getByRole("navigation", { name: "Trace" });
    await expect(browser).toContainText("theta-70000.nc");
    await expect(browser.getByRole("button", { name: "theta[param] 4×1000×70000" })).toBeVisible();
    await expect(browser.getByText("NetCDF-4 · 1 group", { exact: true })).toBeVisible();
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma" })).toBeVisible();
    // The last parameter, in the last chunk of each chain, at offsets past 2 GiB: theta = 1e9·chain + 1e5·draw + param.
    await runQuery(page, "theta[param=69999]");
    const table = page.getByRole("figure", { name: "Tidy table of theta[param=69999]: 4,000 rows, 4 columns" });
    await expect(table.locator("thead th span")).toHaveText(["chain", "draw", "param", "theta"]);
    await expect(table.locator("tbody tr").nth(0).locator("td")).toHaveText(["0", "0", "69999", "69999"]);
    await expect(table.locator("tbody tr").nth(1).locator("td").nth(3)).toHaveText("169999");
    // Chain 3's chunk lies past 2 GiB into the file.
    await table.getByLabel(/^Rows of the table/).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(table.getByRole("status")).toHaveText("Rows 3,981–4,000 of 4,000");
    await expect(table.locator("tbody tr").last().locator("td")).toHaveText(["3", "999", "69999", "3099969999"]);
    const added = chromiumRss() - before;
    expect(added).toBeLessThan(1e9);
    await page.screenshot({ path: "test-results/netcdf-large-file.png", fullPage: true });
  });
});
