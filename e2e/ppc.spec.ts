// Predictive checks on the example as a user makes them: one click from the trace browser pairs
// posterior_predictive/y with observed_data/y; each check draws its marks with the words that say what they are.
import { expect, test, type Page } from "@playwright/test";
import { asBytes, dims, sampleCoordinates, writeStoreFolder, zarray } from "../tests/memory-store.ts";
import { openExample, openFolder, runQuery } from "./helpers.ts";

/**
 * A count model's trace: posterior_predictive/y of 2 chains × 200 draws × 50 observations, each a
 * Poisson(3) count, and observed counts from the same distribution (seeded, so every run is alike).
 */
function writeCountTrace(): string {
  let seed = 2026;
  const uniform = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const poisson = () => {
    let k = 0;
    for (let p = uniform(); p > Math.exp(-3); p *= uniform()) k++;
    return k;
  };
  const index = (n: number) => asBytes(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)));
  return writeStoreFolder(
    "counts.zarr",
    {
      ".zgroup": { zarr_format: 2 },
      "posterior_predictive/.zgroup": { zarr_format: 2 },
      ...sampleCoordinates("posterior_predictive", 2, 200),
      "posterior_predictive/obs/.zarray": zarray("<i8", [50], [50]),
      "posterior_predictive/obs/.zattrs": dims("obs"),
      "posterior_predictive/obs/0": index(50),
      "posterior_predictive/y/.zarray": zarray("<i8", [2, 200, 50], [2, 200, 50]),
      "posterior_predictive/y/.zattrs": dims("chain", "draw", "obs"),
      "posterior_predictive/y/0.0.0": asBytes(BigInt64Array.from({ length: 2 * 200 * 50 }, () => BigInt(poisson()))),
      "observed_data/.zgroup": { zarr_format: 2 },
      "observed_data/obs/.zarray": zarray("<i8", [50], [50]),
      "observed_data/obs/.zattrs": dims("obs"),
      "observed_data/obs/0": index(50),
      "observed_data/y/.zarray": zarray("<i8", [50], [50]),
      "observed_data/y/.zattrs": dims("obs"),
      "observed_data/y/0": asBytes(BigInt64Array.from({ length: 50 }, () => BigInt(poisson()))),
    },
    true,
  );
}

const panel = (page: Page) => page.locator("section.panel[data-kind=ppc]");

async function check(page: Page, view: string): Promise<void> {
  await panel(page).getByRole("combobox", { name: "Check", exact: true }).selectOption(view);
  await expect(panel(page).locator('figure.panel-figure[aria-busy="true"]')).toHaveCount(0);
}

test.describe("predictive checks", () => {
  test("posterior_predictive/y against observed_data/y: densities, ECDF, PIT-ECDF, a test statistic and intervals", async ({ page }) => {
    await openExample(page);
    await page.getByRole("button", { name: "posterior_predictive/y against observed_data/y" }).click();
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue("posterior_predictive/y[obs_ind], observed_data/y[obs_ind], log_likelihood/y[obs_ind]");
    const figure = page.getByRole("figure", { name: "Predictive check (densities) of y against observed_data/y" });
    await expect(figure).toBeVisible();
    await expect(figure.locator('g[aria-description="predictive draws"] path')).toHaveCount(50);
    await expect(figure.locator('g[aria-description="observed"] path')).toHaveCount(1);
    await expect(figure).toContainText("Observed: observed_data/y, paired with y by name");
    await panel(page).screenshot({ path: "docs/ppc-density.png" });

    await check(page, "ecdf");
    const ecdf = page.getByRole("figure", { name: "Predictive check (ECDF) of y against observed_data/y" });
    await expect(ecdf.locator('g[aria-description="predictive 95% band"] path')).toHaveCount(1);
    await expect(ecdf.locator('g[aria-description="observed ECDF"] path')).toHaveCount(1);

    await check(page, "pit");
    const pit = page.getByRole("figure", { name: "Predictive check (PIT-ECDF) of y against observed_data/y" });
    await expect(pit.locator('g[aria-description="simultaneous 95% band"] path')).toHaveCount(1);
    await expect(pit).toContainText("The ECDF of the 96 observations' PIT values minus the uniform CDF");
    await panel(page).screenshot({ path: "docs/ppc-pit.png" });

    await check(page, "loo-pit");
    const looPit = page.getByRole("figure", { name: "Predictive check (LOO-PIT) of y against observed_data/y" });
    await expect(looPit).toContainText("each draw weighed by its PSIS-LOO weight from log_likelihood/y");
    await expect(looPit.locator('g[aria-description="PIT ECDF difference"] path')).toHaveCount(1);

    await check(page, "stat");
    await panel(page).getByRole("combobox", { name: "Statistic", exact: true }).selectOption("sd");
    const stat = page.getByRole("figure", { name: "Predictive check (test statistic) of y against observed_data/y" });
    await expect(stat).toContainText(/The sd of each of 1,600 predictive draws of y \(bars\) and of the observed observed_data\/y \(line, T\(y\) = [\d.]+\); P\(T\(y_rep\) ≥ T\(y\)\) = 0\.\d{3}\./);
    await expect(stat.locator('g[aria-description="T of the predictive draws"] rect')).toHaveCount(30);
    await panel(page).screenshot({ path: "docs/ppc-stat.png" });

    await check(page, "intervals");
    await panel(page).getByRole("combobox", { name: "Intervals against", exact: true }).selectOption("obs_ind");
    const intervals = page.getByRole("figure", { name: "Predictive check (intervals) of y against observed_data/y" });
    await expect(intervals.locator('g[aria-description="predictive 90% intervals"] line')).toHaveCount(96);
    await expect(intervals.locator('g[aria-description="observed"] circle')).toHaveCount(96);
    await panel(page).screenshot({ path: "docs/ppc-intervals.png" });
    await expect(page.getByRole("alert")).toHaveCount(0);
  });

  test("grouped by group_idx: intervals coloured by group, and a test statistic per group", async ({ page }) => {
    await openExample(page);
    await page.getByRole("button", { name: "posterior_predictive/y against observed_data/y" }).click();
    await runQuery(page, "posterior_predictive/y[obs_ind], observed_data/y[obs_ind], constant_data/group_idx[obs_ind]");
    await panel(page).getByRole("combobox", { name: "Group by", exact: true }).selectOption("group_idx");
    await check(page, "intervals");
    const intervals = page.getByRole("figure", { name: "Predictive check (intervals) of y against observed_data/y by group_idx" });
    await expect(intervals).toContainText("Coloured by group_idx.");
    await expect(intervals.locator('g[aria-description="predictive 50% intervals"] line')).toHaveCount(96);
    await check(page, "stat");
    const stat = page.getByRole("figure", { name: "Predictive check (test statistic) of y against observed_data/y by group_idx" });
    await expect(stat).toContainText("One check per level of group_idx (4).");
    await expect(stat).toContainText(/by group_idx, 0: T\(y\) = -?[\d.]+, P\(T\(y_rep\) ≥ T\(y\)\) = 0\.\d{3}; 1: /);
    await expect(stat.locator('svg[aria-label^="group_idx "]')).toHaveCount(4);
    await panel(page).screenshot({ path: "test-results/ppc-grouped.png" });
  });

  test("a query without observed values says what to add", async ({ page }) => {
    await openExample(page);
    await page.getByRole("combobox", { name: "Query" }).fill("posterior_predictive/y[obs_ind]");
    await page.getByRole("combobox", { name: "Query" }).press("Enter");
    await page.getByLabel("Panel kind").selectOption("ppc");
    await page.getByRole("button", { name: "Add panel" }).click();
    await expect(panel(page)).toContainText("the query has no observed values to check y against: add them, e.g. observed_data/y[obs_ind]");
  });

  test("counts get bars of the observed counts with the predictive counts' intervals, or a hanging rootogram", async ({ page }) => {
    await page.goto("/");
    await openFolder(page, writeCountTrace());
    await page.getByRole("button", { name: "posterior_predictive/y against observed_data/y" }).click();
    const bars = page.getByRole("figure", { name: "Predictive check (counts) of y against observed_data/y" });
    await expect(bars).toContainText("y and observed_data/y are counts: per value, the observed count (bars)");
    const values = await bars.locator('g[aria-description="predictive medians"] circle').count();
    expect(values).toBeGreaterThan(5);
    await expect(bars.locator('g[aria-description="observed counts"] rect')).toHaveCount(values);
    await panel(page).getByRole("combobox", { name: "Counts as", exact: true }).selectOption("rootogram");
    await expect(bars.locator('g[aria-description="observed counts, hanging"] rect')).toHaveCount(values);
    await expect(bars).toContainText("A hanging rootogram of the counts y and observed_data/y take");
    await panel(page).screenshot({ path: "docs/ppc-rootogram.png" });
  });
});
