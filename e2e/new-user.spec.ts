// What a new user tripped on, on a trace whose theta has two dimensions (school × year, the years
// integer labels) and whose sampler wrote divergences and lp but no energy.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { SCHOOLS, writeSchoolYearStore } from "./generated-store.ts";
import { addPanel, densityMarks, openFolder, runQuery } from "./helpers.ts";

const store = writeSchoolYearStore();

async function openSchools(page: Page): Promise<void> {
  await page.goto("/");
  await openFolder(page, store);
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("schools_by_year.zarr");
}

/** Texts of a figure's left-hand labels (facets or rows) that lie even partly outside its SVG. */
function clippedLabels(figure: Locator): Promise<string[]> {
  return figure
    .locator("svg")
    .first()
    .evaluate((svg) => {
      const frame = svg.getBoundingClientRect();
      return Array.from(svg.querySelectorAll('g[aria-label$="-axis tick label"] text'))
        .filter((t) => t.getBoundingClientRect().left < frame.left - 0.5)
        .map((t) => t.textContent ?? "");
    });
}

test("a density of theta[school, year] draws a curve per school and year, years as the trace writes them", async ({ page }) => {
  await openSchools(page);
  const density = page.locator("section.panel[data-kind=density]");
  // Before any query the form shows the options' defaults, not empty values.
  await expect(density.getByLabel("Bandwidth ×")).toHaveValue("1");
  await expect(density.getByLabel("Fill")).toBeChecked();

  await runQuery(page, "theta");
  // Facets by school, a colour per year: nothing pooled.
  const { figure, curves, facets } = await densityMarks(page);
  await expect(figure).toHaveAccessibleName("Density of theta by school and year: 24 curves in 8 facets");
  expect(curves).toHaveLength(24);
  expect(curves).toContain("St. Paul's · 2020");
  expect(facets).toEqual(SCHOOLS);
  await expect(figure.locator("figcaption")).not.toContainText("look alike");
  // The colour legend names the years as integers, not 2,019.
  await expect(figure).toContainText("2019");
  expect(await figure.textContent()).not.toContain("2,019");

  // Coloured by school too: the years are still separate curves, and the caption says they look alike.
  await density.getByLabel("Colour by").selectOption("school");
  await expect(figure).toHaveAccessibleName("Density of theta by school and year: 24 curves in 8 facets");
  await expect(figure.locator("figcaption")).toContainText("Curves differing only in year look alike here: colour or facet by it to tell them apart");

  // Faceted by year: the facets are labelled 2019, 2020, 2021.
  await density.getByLabel("Facet by").selectOption("year");
  await expect(figure).toHaveAccessibleName("Density of theta by year and school: 24 curves in 3 facets");
  expect((await densityMarks(page)).facets).toEqual(["2019", "2020", "2021"]);
  await expect(figure.locator("figcaption")).not.toContainText("look alike");

  // Overlaid, the facet dimension is no longer shown: the caption says so.
  await density.getByLabel("Layout").selectOption("overlay");
  await expect(figure).toHaveAccessibleName("Density of theta by year and school: 24 curves");
  await expect(figure.locator("figcaption")).toContainText("Curves differing only in year look alike here");
  await density.screenshot({ path: "/tmp/new-user-density.png" });
});

test("contrasts of every pair keep their labels inside the figure", async ({ page }) => {
  await openSchools(page);
  await runQuery(page, "theta");
  const panel = await addPanel(page, "contrast");
  await panel.getByLabel("Compare").selectOption("pairs");
  const figure = panel.locator("figure.panel-figure");
  await expect(figure).toHaveAccessibleName(/all pairs: \d+ rows/);
  expect(await clippedLabels(figure)).toEqual([]);
  await panel.screenshot({ path: "/tmp/new-user-contrast.png" });
});

test("the sampler, the diagnostics rows and the chains menu follow the trace", async ({ page }) => {
  await openSchools(page);
  // Divergences alone give the sampler panel nothing to draw: no one-click query for them.
  await expect(page.getByRole("button", { name: /^Sampler statistics of/ })).toHaveCount(0);
  await runQuery(page, "mu, sample_stats/diverging");
  const sampler = await addPanel(page, "sampler");
  const figure = sampler.locator("figure.panel-figure");
  await expect(figure).toHaveAccessibleName("Energy of the sampler: not in the query");
  // Said once, in the figure; the caption says what the query has instead.
  expect((await figure.textContent())!.match(/add sample_stats\/energy/g)).toHaveLength(1);
  await expect(figure.locator("figcaption")).toHaveText("This query has none of the sampler's statistics.");

  // The trace panel offers the trace's two chains, not eight.
  const trace = await addPanel(page, "trace");
  await expect(trace.getByLabel("Chains").locator("option")).toHaveText(["all", "chain 0", "chain 1"]);

  // A sample_stats row of the diagnostics table opens it with its group written out; the group
  // chips stay on posterior, so the next query of a posterior variable reads as before.
  await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
  const diagnostics = page.getByRole("region", { name: "Diagnostics" });
  await diagnostics.getByLabel("Scope").selectOption("sample_stats");
  await diagnostics
    .getByRole("grid", { name: "Diagnostics rows" })
    .getByRole("row")
    .filter({ has: page.locator(".diag-name", { hasText: /^lp$/ }) })
    .click();
  const query = page.getByRole("combobox", { name: "Query" });
  await expect(query).toHaveValue("sample_stats/lp");
  const chips = page.getByRole("group", { name: "Groups to read from" });
  await expect(chips.getByRole("button", { name: "posterior" })).toHaveAttribute("aria-pressed", "true");
  await expect(chips.getByRole("button", { name: "sample_stats" })).toHaveAttribute("aria-pressed", "false");
  await runQuery(page, "theta[school=Choate, year]");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.locator("section.panel[data-kind=density] figure.panel-figure")).toHaveAccessibleName("Density of theta by school and year: 3 curves in 1 facet");
});
