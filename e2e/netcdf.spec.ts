// ArviZ's NetCDF files (idata.to_netcdf) opened as a user would: Open file, a drop; drawn,
// linked with the Zarr copy's fingerprint, and refused by name when they cannot be read.
import { expect, test } from "@playwright/test";
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
