// PSIS-LOO as a user sees it: the LOO section's estimates equal R loo's goldens, the Pareto k of
// every observation is drawn with loo's threshold, a click queries that observation, links keep it.
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { fixture, openExample, openFolder } from "./helpers.ts";

interface LooGolden {
  S: number;
  results: Record<"r_eff_relative" | "r_eff_1", Record<"elpd_loo" | "se_elpd_loo" | "p_loo" | "se_p_loo" | "looic" | "se_looic", number> & { pointwise: { influence_pareto_k: number[] } }>;
}

const golden = (...path: string[]): LooGolden => JSON.parse(readFileSync(fixture(...path), "utf8"));

const section = (page: Page) => page.getByRole("region", { name: "PSIS-LOO" });

/** The estimates table's exact values (each cell's title) against R loo's, to 1e-6 relative. */
async function expectEstimates(table: Locator, wanted: LooGolden["results"]["r_eff_1"]): Promise<void> {
  await expect(table.locator("tbody th")).toHaveText(["elpd_loo", "p_loo", "looic"]);
  const rows = [
    [wanted.elpd_loo, wanted.se_elpd_loo],
    [wanted.p_loo, wanted.se_p_loo],
    [wanted.looic, wanted.se_looic],
  ];
  for (const [r, [estimate, se]] of rows.entries()) {
    const cells = table.locator("tbody tr").nth(r).locator("td");
    const [shownEstimate, shownSe] = await Promise.all([0, 1].map(async (c) => Number(await cells.nth(c).getAttribute("title"))));
    expect(Math.abs(shownEstimate - estimate)).toBeLessThan(1e-6 * Math.abs(estimate));
    expect(Math.abs(shownSe - se)).toBeLessThan(1e-6 * Math.abs(se));
  }
}

test.describe("PSIS-LOO", () => {
  test("the example's LOO: R loo's estimates, the Pareto k of its 96 observations, a click queries one, a link keeps it", async ({ page, context }) => {
    const wanted = golden("grouped_regression.expected", "loo_y.json");
    await openExample(page);
    await page.getByRole("button", { name: "LOO" }).click();
    const loo = section(page);
    await expect(loo).toContainText("log_likelihood/y: 96 observations, 1,600 draws in 4 chains");
    await expectEstimates(loo.getByRole("table", { name: "PSIS-LOO estimates" }), wanted.results.r_eff_relative);
    // Done, the status line is gone rather than an empty band between the controls and the estimates.
    await expect(loo.locator(".diag-status")).toHaveCount(0);
    const dots = loo.locator('g[aria-description="Pareto k"] circle');
    await expect(dots).toHaveCount(96);
    await expect(loo.locator('g[aria-description="k threshold"] line')).toHaveCount(1);
    await expect(loo.getByRole("figure", { name: "Pareto k of 96 observations" })).toContainText(
      "Pareto k of each of 96 observations: 96 below 0.69 (good), 0 from 0.69 to 1 (bad: that observation's elpd is unreliable), 0 at 1 or above (very bad).",
    );
    // Observation 92 has the largest k (0.496 in R); its dot's tooltip says so, and a click queries its predictive draws.
    const k92 = wanted.results.r_eff_relative.pointwise.influence_pareto_k[92];
    await expect(dots.nth(92).locator("title")).toHaveText(`obs_ind=92: k = ${k92.toFixed(3)}`);
    await dots.nth(92).click();
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue("posterior_predictive/y[obs_ind=92]");
    await expect(loo.getByRole("status").filter({ hasText: "obs_ind=92" })).toContainText(`obs_ind=92: k = ${k92.toFixed(3)}`);
    await expect(page.getByRole("figure", { name: /^Density of y/ })).toBeVisible();
    await expect(loo.locator('g[aria-description="picked observation"] circle')).toHaveCount(1);
    await page.screenshot({ path: "docs/loo.png" });

    expect(page.url()).toContain("&loo=");
    const other = await context.newPage();
    await other.goto(page.url());
    await expectEstimates(section(other).getByRole("table", { name: "PSIS-LOO estimates" }), wanted.results.r_eff_relative);
  });

  test("r_eff = 1 on the centered eight schools: R loo's values, and the observations with high k flagged", async ({ page }) => {
    const wanted = golden("arviz", "centered_eight.expected", "loo_obs.json");
    await page.goto("/");
    await openFolder(page, fixture("arviz", "centered_eight.zarr"));
    await page.getByRole("button", { name: "LOO" }).click();
    const loo = section(page);
    await expectEstimates(loo.getByRole("table", { name: "PSIS-LOO estimates" }), wanted.results.r_eff_relative);
    await loo.getByLabel("r_eff").selectOption("1");
    await expectEstimates(loo.getByRole("table", { name: "PSIS-LOO estimates" }), wanted.results.r_eff_1);
    const threshold = Math.min(1 - 1 / Math.log10(wanted.S), 0.7);
    const high = wanted.results.r_eff_1.pointwise.influence_pareto_k.filter((k) => k >= threshold).length;
    expect(high).toBeGreaterThan(0);
    await expect(loo.getByRole("note")).toContainText(`${high} observations with Pareto k of ${threshold.toFixed(2)} or more`);
    await expect(loo.locator('g[aria-description="Pareto k"] circle[fill="#f28e2b"]')).toHaveCount(high);
    expect(page.url()).toContain("loo=;reff=1");
  });

  test("a trace without log-likelihood has the LOO button disabled, saying why", async ({ page }) => {
    await page.goto("/");
    await openFolder(page, fixture("grouped_regression.cmdstan"));
    const button = page.getByRole("button", { name: "LOO" });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute("title", "PSIS-LOO needs a log_likelihood group, which this trace has not");
  });
});
