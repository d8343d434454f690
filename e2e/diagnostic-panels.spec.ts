// The diagnostic panels (trace, rank, sampler statistics) built through the UI, asserted by their
// marks, and photographed for the README (docs/panel-*.png) and for a look (the output dir).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { CHAINS, DIVERGENT_DRAWS, DRAWS, PARAMS, writeGeneratedStore } from "./generated-store.ts";
import { addPanel, fixture, openExample, openFolder, runQuery, serveFixtures } from "./helpers.ts";

const DOCS = join(import.meta.dirname, "..", "docs");
const SHOTS = process.env.DRAWSCOPE_E2E_OUTPUT ?? "test-results";
const SAMPLER_QUERY = "sample_stats/energy, sample_stats/tree_depth, sample_stats/step_size, sample_stats/acceptance_rate, sample_stats/diverging";

/** Divergent draws per chain of a fixture, counted from the draws CLI's CSV of `sample_stats/diverging` alone. */
function divergentPerChain(store: string): number[] {
  const csv = execFileSync("node", ["--import", "tsx", "src/cli/draws.ts", store, "sample_stats/diverging"], { encoding: "utf8" });
  const counts: number[] = [];
  for (const line of csv.trim().split("\n").slice(1)) {
    const [chain, , flag] = line.split(",");
    counts[Number(chain)] = (counts[Number(chain)] ?? 0) + (["0", "false"].includes(flag) ? 0 : 1);
  }
  return counts;
}

async function openCenteredEight(page: Page): Promise<void> {
  await serveFixtures(page);
  await page.goto("/");
  await page.getByRole("textbox", { name: "Store URL" }).fill("/__fixtures/arviz/centered_eight.zarr");
  await page.getByRole("button", { name: "Open URL" }).click();
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight");
}

/** Replace the default panels with one of `kind`. */
async function solePanel(page: Page, kind: string): Promise<{ panel: Locator; figure: Locator }> {
  for (const title of ["Density", "Table"]) await page.getByRole("button", { name: `Remove ${title} panel` }).click();
  const panel = await addPanel(page, kind);
  return { panel, figure: panel.locator("figure.panel-figure") };
}

const marks = (figure: Locator, description: string, element: string) => figure.locator(`g[aria-description="${description}"] ${element}`);

test.describe("diagnostic panels", () => {
  test("trace: one line per chain in each school's facet, divergences as a rug, chains and rug as options", async ({ page }) => {
    const perChain = divergentPerChain(fixture("arviz", "centered_eight.zarr"));
    const divergent = perChain.reduce((a, b) => a + b, 0);
    expect(divergent).toBeGreaterThan(0);
    await openCenteredEight(page);
    await runQuery(page, "theta[school], sample_stats/diverging");
    const { panel, figure } = await solePanel(page, "trace");
    await expect(figure).toHaveAccessibleName("Trace of theta: 4 chains × 500 draws in 8 facets");
    await expect(figure.locator("svg")).toHaveCount(8);
    await expect(marks(figure, "chain lines", "path")).toHaveCount(32);
    await expect(marks(figure, "divergences", "line")).toHaveCount(8 * divergent);
    await expect(figure.locator("figcaption")).toContainText(`${divergent} divergent draws (sample_stats/diverging), marked as magenta ticks`);
    await expect(figure.locator(".chain-legend")).toContainText(`divergent (${divergent} draws)`);
    // The rug sits at the bottom of each facet: below every line.
    const [rug, lines] = await Promise.all([
      figure.locator("svg").first().locator('g[aria-description="divergences"]').boundingBox(),
      figure.locator("svg").first().locator('g[aria-description="chain lines"]').first().boundingBox(),
    ]);
    expect(rug!.y).toBeGreaterThanOrEqual(lines!.y + lines!.height - 1);
    await page.screenshot({ path: join(SHOTS, "diagnostic-trace-page.png"), fullPage: true });
    await panel.screenshot({ path: join(DOCS, "panel-trace.png") });

    await panel.getByRole("combobox", { name: "Chains" }).selectOption("1");
    await expect(figure).toHaveAccessibleName("Trace of theta: 1 chain × 500 draws in 8 facets");
    await expect(marks(figure, "chain lines", "path")).toHaveCount(8);
    await expect(marks(figure, "divergences", "line")).toHaveCount(8 * perChain[1]);
    await panel.getByRole("checkbox", { name: "Divergences" }).uncheck();
    await expect(marks(figure, "divergences", "line")).toHaveCount(0);
    await expect(page).toHaveURL(/panel=trace;chains=1;divergences=0/);
  });

  test("trace of a scalar with the example's 4 chains; no divergences there", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "sigma, beta[groups], sample_stats/diverging");
    const { figure } = await solePanel(page, "trace");
    await expect(figure).toHaveAccessibleName("Trace of sigma: 4 chains × 400 draws");
    await expect(marks(figure, "chain lines", "path")).toHaveCount(4);
    await expect(marks(figure, "divergences", "line")).toHaveCount(0);
    await expect(figure.locator("figcaption")).toContainText("No divergent draws.");
  });

  test("trace of 100 parameters × 4 chains × 1,000 draws: the first 12 facets, one path per chain, drawn quickly", async ({ page }) => {
    const store = writeGeneratedStore();
    try {
      await page.goto("/");
      await openFolder(page, store);
      await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("pairs400k.zarr");
      await runQuery(page, "a[param], sample_stats/diverging");
      await expect(page.getByRole("figure", { name: /^Density of a/ })).toBeVisible();
      for (const title of ["Density", "Table"]) await page.getByRole("button", { name: `Remove ${title} panel` }).click();
      const started = Date.now();
      const panel = await addPanel(page, "trace");
      const figure = panel.locator("figure.panel-figure");
      await expect(figure).toHaveAccessibleName(`Trace of a: ${CHAINS} chains × ${DRAWS.toLocaleString("en-US")} draws in 12 facets`);
      const elapsed = Date.now() - started;
      test.info().annotations.push({ type: "trace panel, 12 facets × 4 chains × 1,000 draws (ms from Add panel to figure)", description: String(elapsed) });
      await expect(marks(figure, "chain lines", "path")).toHaveCount(12 * CHAINS);
      await expect(marks(figure, "divergences", "line")).toHaveCount(12 * DIVERGENT_DRAWS.length);
      await expect(figure.locator("figcaption")).toContainText(`Showing the first 12 of ${PARAMS} elements of a: narrow the query to see others.`);
      // 1,000 draws per line fit in the 2,000 spans of draws a line is thinned to: nothing to thin.
      await expect(figure.locator(".trace-figure")).toHaveAttribute("data-points", String(12 * CHAINS * DRAWS));
      expect(elapsed).toBeLessThan(5000);
      await panel.screenshot({ path: join(SHOTS, "diagnostic-trace-generated.png") });
    } finally {
      rmSync(dirname(store), { recursive: true, force: true });
    }
  });

  test("rank: histograms per chain that sum to its draws, then ECDF differences inside the band", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const { panel, figure } = await solePanel(page, "rank");
    await expect(figure).toHaveAccessibleName("Rank plot of beta: 4 chains × 400 draws in 4 facets, 20 bins");
    const bars = marks(figure, "rank bars", "rect");
    await expect(bars).toHaveCount(4 * 4 * 20);
    await expect(marks(figure, "uniform expectation", "line")).toHaveCount(16);
    // Bar heights in pixels, per facet and chain (20 bars each), are proportional to counts: each
    // chain's 20 bars add up to 400 draws, so every group of 20 has the same total height.
    const heights = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height"))));
    const totals = Array.from({ length: 16 }, (_, k) => heights.slice(20 * k, 20 * (k + 1)).reduce((a, h) => a + h, 0));
    for (const t of totals) expect(Math.abs(t - totals[0])).toBeLessThan(0.5);
    // The dashed line at 400 / 20 = 20 draws: 20 bars of that height would add up to the same total.
    const expected = await marks(figure, "uniform expectation", "line")
      .first()
      .evaluate((l) => Number(l.getAttribute("y1")));
    const zero = await figure
      .locator('g[aria-description="rank bars"] rect')
      .first()
      .evaluate((r) => Number(r.getAttribute("y")) + Number(r.getAttribute("height")));
    expect(Math.abs(20 * (zero - expected) - totals[0])).toBeLessThan(1);
    await panel.screenshot({ path: join(DOCS, "panel-rank.png") });

    await panel.getByRole("combobox", { name: "Show" }).selectOption("ecdf");
    await expect(figure).toHaveAccessibleName("Rank ECDF differences of beta: 4 chains × 400 draws in 4 facets");
    await expect(marks(figure, "ECDF band", "path")).toHaveCount(4);
    await expect(marks(figure, "ECDF differences", "path")).toHaveCount(16);
    await expect(figure.locator("figcaption")).toContainText("95% simultaneous band (Säilynoja, Bürkner & Vehtari 2022)");
    await expect(figure.locator("figcaption")).toContainText("1,000 random splits of the pooled ranks (seed 1)");
    await expect(figure.locator("figcaption")).toContainText("Every chain stays inside the band.");
    await panel.screenshot({ path: join(SHOTS, "diagnostic-rank-ecdf.png") });
  });

  test("sampler statistics: kept apart in the trace browser, one click to the panel, each statistic drawn", async ({ page }) => {
    await openExample(page);
    const browser = page.getByRole("navigation", { name: "Trace" });
    const sampler = browser.getByRole("region", { name: "Sampler" });
    await expect(sampler.locator("summary")).toHaveText(["sample_stats 6"]);
    // Model groups come first; the sampler's heading follows the last of them.
    const modelGroups = browser.locator("details > summary").filter({ hasNotText: "sample_stats" });
    await expect(modelGroups).toHaveCount(7);
    const lastModel = (await modelGroups.last().boundingBox())!;
    const heading = (await sampler.getByRole("heading", { name: "Sampler" }).boundingBox())!;
    expect(heading.y).toBeGreaterThan(lastModel.y);
    await page.screenshot({ path: join(SHOTS, "diagnostic-sidebar.png"), fullPage: true });

    await sampler.getByRole("button", { name: "Sampler statistics of sample_stats" }).click();
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue(SAMPLER_QUERY);
    const panel = page.locator("section.panel[data-kind=sampler]");
    await expect(panel).toHaveCount(1);
    const figure = panel.locator("figure.panel-figure");
    // numpy's E-BFMI of the example's chains: 1.657, 1.659, 1.747, 1.947 (tests/bfmi.test.ts).
    await expect(figure).toHaveAccessibleName("Energy of the sampler: 4 chains × 400 draws, E-BFMI 1.657–1.947");
    await expect(marks(figure, "energy", "path")).toHaveCount(1);
    await expect(marks(figure, "energy transition", "path")).toHaveCount(1);
    await expect(marks(figure, "E-BFMI", "text")).toHaveText(["E-BFMI", "chain 0: 1.657", "chain 1: 1.659", "chain 2: 1.747", "chain 3: 1.947"]);
    // A second click does not add a second panel.
    await sampler.getByRole("button", { name: "Sampler statistics of sample_stats" }).click();
    await expect(panel).toHaveCount(1);

    await panel.getByRole("combobox", { name: "Energy as" }).selectOption("histogram");
    await expect(marks(figure, "energy", "rect")).toHaveCount(40);
    await expect(marks(figure, "energy transition", "rect")).toHaveCount(40);

    const statistic = panel.getByRole("combobox", { name: "Statistic" });
    await statistic.selectOption("tree_depth");
    await expect(figure).toHaveAccessibleName("Tree depth of the sampler: 4 chains × 400 draws, depths 2–3");
    // numpy: depths 2 and 3 in every chain (198/202, 211/189, 204/196, 212/188 draws).
    await expect(marks(figure, "tree depth bars", "rect")).toHaveCount(8);
    await panel.screenshot({ path: join(SHOTS, "diagnostic-tree-depth.png") });
    await statistic.selectOption("step_size");
    await expect(figure).toHaveAccessibleName("Step size of the sampler: 4 chains × 400 draws");
    await expect(marks(figure, "step size", "path")).toHaveCount(4);
    await expect(figure.locator("figcaption")).toContainText("Constant within each chain, as after adaptation: chain 0 0.8, chain 1 0.81, chain 2 0.82, chain 3 0.83.");
    await panel.screenshot({ path: join(SHOTS, "diagnostic-step-size.png") });
    await statistic.selectOption("acceptance");
    await expect(marks(figure, "acceptance bars", "rect")).toHaveCount(80);
    await expect(marks(figure, "acceptance means", "line")).toHaveCount(4);
    await expect(figure.locator("figcaption")).toContainText("chain 0 0.489, chain 1 0.528, chain 2 0.515, chain 3 0.471");
    await panel.screenshot({ path: join(SHOTS, "diagnostic-acceptance.png") });

    // Without the statistic in the query, the figure says what to add.
    await runQuery(page, "sigma");
    await statistic.selectOption("energy");
    await expect(figure).toHaveAccessibleName("Energy of the sampler: not in the query");
    await expect(figure).toContainText("Energy: add sample_stats/energy to the query if the trace has it");
  });

  test("sampler statistics of centered eight: chain 0's E-BFMI is flagged below 0.3", async ({ page }) => {
    await openCenteredEight(page);
    await page.getByRole("region", { name: "Sampler" }).getByRole("button", { name: "Sampler statistics of sample_stats" }).click();
    const panel = page.locator("section.panel[data-kind=sampler]");
    const figure = panel.locator("figure.panel-figure");
    await expect(figure).toHaveAccessibleName("Energy of the sampler: 4 chains × 500 draws, E-BFMI 0.287–0.378; below 0.3 in chain 0");
    await expect(marks(figure, "E-BFMI", "text").nth(1)).toHaveText("chain 0: 0.287 (< 0.3)");
    await expect(figure.locator("figcaption")).toContainText("E-BFMI below 0.3 in chain 0");
    for (const title of ["Density", "Table"]) await page.getByRole("button", { name: `Remove ${title} panel` }).click();
    await panel.screenshot({ path: join(DOCS, "panel-sampler.png") });
  });
});
