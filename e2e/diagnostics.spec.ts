// The diagnostics table on the example: every posterior element with R's R-hat and ESS, sorting,
// filtering, the worst 20, opening rows in the panels, links; and a 100,000-row table that scrolls.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { fixture, openExample, openFolder, runQuery } from "./helpers.ts";
import { writeWideStore } from "./wide-store.ts";

const DOCS = join(import.meta.dirname, "..", "docs");
const GROUPS = ["North", "South", "East", "West"];
/** The grid's columns: element, then these (no group column when the scope is one group). */
const STATS = ["mean", "sd", "median", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"];
const RHAT = 1 + STATS.indexOf("rhat");
const ESS_BULK = 1 + STATS.indexOf("ess_bulk");
const ESS_TAIL = 1 + STATS.indexOf("ess_tail");

interface Golden {
  groups: string;
  rhat: number;
  ess_bulk: number;
}
const betaGolden = JSON.parse(readFileSync(fixture("grouped_regression.expected", "diag_beta.json"), "utf8")) as Golden[];
const POSTERIOR = [...GROUPS.map((g) => `beta[${g}]`), ...GROUPS.map((g) => `intercept[${g}]`), ...Array.from({ length: 96 }, (_, i) => `mu[${i}]`), "sigma"];

const section = (page: Page) => page.getByRole("region", { name: "Diagnostics" });
const grid = (page: Page) => section(page).getByRole("grid", { name: "Diagnostics rows" });
const counts = (page: Page) => section(page).locator(".diag-counts");
const nextFrames = (page: Page) => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

/** The rows in the DOM: each as its cells' texts, the element's name without the flag marker. */
function renderedRows(table: Locator): Promise<{ at: number; cells: string[] }[]> {
  return table.locator("tbody tr:not(.diag-spacer)").evaluateAll((rows) =>
    rows.map((tr) => ({
      at: Number(tr.getAttribute("aria-rowindex")),
      cells: Array.from(tr.querySelectorAll("td"), (td) => td.querySelector(".diag-name")?.textContent ?? td.textContent ?? ""),
    })),
  );
}

/** Every row of the grid in display order, read by scrolling its box from top to bottom. */
async function allRows(page: Page): Promise<string[][]> {
  const table = grid(page);
  const box = table.locator("xpath=..");
  const seen = new Map<number, string[]>();
  await box.evaluate((b) => (b.scrollTop = 0));
  for (;;) {
    await nextFrames(page);
    for (const { at, cells } of await renderedRows(table)) seen.set(at, cells);
    const moved = await box.evaluate((b) => {
      const before = b.scrollTop;
      b.scrollTop += b.clientHeight;
      return b.scrollTop > before;
    });
    if (!moved) break;
  }
  await box.evaluate((b) => (b.scrollTop = 0));
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, cells]) => cells);
}

/** The rows in the DOM now (the top of the grid), as element names and one column's numbers. */
async function topRows(page: Page, column: number): Promise<{ names: string[]; values: number[] }> {
  await nextFrames(page);
  const rows = await renderedRows(grid(page));
  return { names: rows.map((r) => r.cells[0]), values: rows.map((r) => Number(r.cells[column].replace(/,/g, ""))) };
}

const isSorted = (values: number[], descending: boolean) => values.every((v, k) => k === 0 || (descending ? v <= values[k - 1] : v >= values[k - 1]));

async function showDiagnostics(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
  await expect(section(page)).toBeVisible();
  await expect(counts(page)).toHaveText("105 elements · 1 flagged");
}

test.describe("the diagnostics table", () => {
  test("lists every posterior element with R-hat and ESS; beta[North] as R computes it", async ({ page }) => {
    await openExample(page);
    await expect(page.getByRole("button", { name: "Diagnostics", exact: true })).toHaveAttribute("aria-pressed", "false");
    await showDiagnostics(page);
    await expect(page.getByRole("button", { name: "Diagnostics", exact: true })).toHaveAttribute("aria-pressed", "true");
    await expect(section(page)).toContainText("every variable of posterior");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "106");
    await expect(section(page).getByRole("columnheader")).toHaveText(["element", "mean", "sd", "median", "mad", "q5", "q95", "R-hat", "ESS bulk", "ESS tail", "MCSE mean", "MCSE sd"]);
    // The section sits between the query bar and the panels.
    const order = await page.locator("main").evaluate((main) => Array.from(main.querySelectorAll(".query-bar, section.diagnostics, .panels"), (n) => n.className.split(" ")[0]));
    expect(order).toEqual(["query-bar", "diagnostics", "panels"]);

    // Only the rows in view are in the DOM, each exactly 26 px tall (what the virtual scroll assumes).
    const heights = await grid(page)
      .locator("tbody tr:not(.diag-spacer)")
      .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(heights.length).toBeLessThan(60);
    expect(new Set(heights)).toEqual(new Set([26]));

    // At 1280 px every column fits in the box, and no name or number is cut with an ellipsis.
    const box = grid(page).locator("xpath=..");
    expect(await box.evaluate((b) => b.scrollWidth - b.clientWidth)).toBe(0);
    const cut = await grid(page)
      .locator("td")
      .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));
    expect(cut).toEqual([]);

    const rows = await allRows(page);
    // The trace's order: beta, intercept, mu, sigma, each over its labels in order.
    expect(rows.map((r) => r[0])).toEqual(POSTERIOR);
    for (const r of rows) {
      expect(r[RHAT]).toMatch(/^\d\.\d{3}$/);
      expect(r[ESS_BULK]).toMatch(/^\d{1,3}(,\d{3})*$/);
      expect(r[ESS_TAIL]).toMatch(/^\d{1,3}(,\d{3})*$/);
    }
    for (const g of betaGolden) {
      const row = rows.find((r) => r[0] === `beta[${g.groups}]`)!;
      expect(row[RHAT]).toBe(g.rhat.toFixed(3));
      expect(row[ESS_BULK]).toBe(Math.round(g.ess_bulk).toLocaleString("en-US"));
    }
    // The cell's tooltip holds the full value: R's to 8 decimals.
    const north = grid(page)
      .getByRole("row")
      .filter({ has: page.locator(".diag-name", { hasText: /^beta\[North\]$/ }) });
    expect(Number(await north.getByRole("gridcell").nth(RHAT).getAttribute("title"))).toBeCloseTo(betaGolden[0].rhat, 8);
  });

  test("sorts by a header (again to reverse, NA last), filters by regex, and shows the worst 20 by R-hat", async ({ page }) => {
    await openExample(page);
    await showDiagnostics(page);
    const all = await allRows(page);
    const highest = Math.max(...all.map((r) => Number(r[RHAT])));
    const rhatHeader = section(page).getByRole("columnheader", { name: "R-hat" });
    await expect(rhatHeader).not.toHaveAttribute("aria-sort");

    await rhatHeader.getByRole("button").click();
    await expect(rhatHeader).toHaveAttribute("aria-sort", "ascending");
    const up = await topRows(page, RHAT);
    expect(up.values.length).toBeGreaterThan(10);
    expect(isSorted(up.values, false)).toBe(true);
    await rhatHeader.getByRole("button").click();
    await expect(rhatHeader).toHaveAttribute("aria-sort", "descending");
    const down = await topRows(page, RHAT);
    expect(isSorted(down.values, true)).toBe(true);
    expect(down.values[0]).toBe(highest);
    // The whole column, read by scrolling, is in order.
    expect(
      isSorted(
        (await allRows(page)).map((r) => Number(r[RHAT])),
        true,
      ),
    ).toBe(true);
    // sigma leads, flagged: R-hat 1.034 > 1.01, ESS bulk 253 and tail 364 < 400 (R's values).
    expect(down.names[0]).toBe("sigma");
    await expect(grid(page).getByRole("row").nth(1).getByRole("gridcell").nth(RHAT)).toHaveText("1.034");
    await expect(grid(page).getByRole("row").nth(1).locator("td.flagged")).toHaveText(["1.034", "253", "364"]);
    await page.screenshot({ path: join(DOCS, "diagnostics.png") });

    const filter = section(page).getByRole("searchbox", { name: "Filter" });
    await filter.fill("^beta");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "5");
    await expect(counts(page)).toHaveText("105 elements · 1 flagged · 4 shown");
    // Still sorted by R-hat, descending: South 1.00526, West 0.99937, East 0.99929, North 0.99848.
    expect((await topRows(page, RHAT)).names).toEqual(["beta[South]", "beta[West]", "beta[East]", "beta[North]"]);
    // Not a valid regular expression: said inline, matched as plain text.
    await filter.fill("beta[");
    await expect(section(page).locator(".diag-filter-problem")).toContainText("not a valid regular expression");
    await expect(section(page).locator(".diag-filter-problem")).toContainText("matched as plain text");
    await expect(filter).toHaveAttribute("aria-invalid", "true");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "5");
    await filter.fill("MU\\[9\\d\\]");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "7");
    await expect(section(page).locator(".diag-filter-problem")).toHaveCount(0);
    // Nothing matches: said under the grid, with the way back.
    await filter.fill("^theta");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "1");
    await expect(section(page).locator(".diag-empty")).toHaveText("No element matches the filter “^theta”. Change the filter or the thresholds, or show All rows.");
    await filter.fill("^beta");
    await expect(section(page).locator(".diag-empty")).toHaveCount(0);

    await section(page).getByRole("button", { name: "Worst 20 by R-hat" }).click();
    await expect(filter).toHaveValue("");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "21");
    await expect(counts(page)).toHaveText("105 elements · 1 flagged · 20 shown (the first 20)");
    await expect(rhatHeader).toHaveAttribute("aria-sort", "descending");
    const worst = await topRows(page, RHAT);
    expect(worst.values.length).toBe(20);
    expect(isSorted(worst.values, true)).toBe(true);
    expect(worst.values).toEqual(
      all
        .map((r) => Number(r[RHAT]))
        .toSorted((a, b) => b - a)
        .slice(0, 20),
    );
    await section(page).getByRole("button", { name: "All rows" }).click();
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "106");
    await expect(rhatHeader).not.toHaveAttribute("aria-sort");
    await expect(section(page).getByRole("button", { name: "All rows" })).toBeDisabled();

    // NA sorts last either way: sample_stats/diverging never happens in the example, so its R-hat is NA.
    await section(page).getByLabel("Scope").selectOption("sample_stats");
    await expect(counts(page)).toContainText("6 elements");
    await rhatHeader.getByRole("button").click();
    await expect(rhatHeader).toHaveAttribute("aria-sort", "ascending");
    let rows = (await renderedRows(grid(page))).map((r) => r.cells);
    expect(rows.at(-1)![0]).toBe("diverging");
    expect(rows.at(-1)![RHAT]).toBe("NA");
    await rhatHeader.getByRole("button").click();
    await expect(rhatHeader).toHaveAttribute("aria-sort", "descending");
    await nextFrames(page);
    rows = (await renderedRows(grid(page))).map((r) => r.cells);
    expect(rows.at(-1)![0]).toBe("diverging");
  });

  test("flags rows past the thresholds, with a marker and the reason in the tooltip", async ({ page }) => {
    await openExample(page);
    await showDiagnostics(page);
    await section(page).getByRole("searchbox", { name: "Filter" }).fill("^beta");
    await section(page).getByRole("checkbox", { name: "Flagged only" }).check();
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "1");
    // Only beta[South] has an R-hat above 1.004 (1.00526 in R); no ESS is below 1,000.
    await section(page).getByRole("spinbutton", { name: "R-hat >" }).fill("1.004");
    await section(page).getByRole("spinbutton", { name: "ESS <" }).fill("1000");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "2");
    const south = grid(page).getByRole("row").nth(1);
    await expect(south.locator(".diag-name")).toHaveText("beta[South]");
    await expect(south).toHaveClass(/flagged/);
    await expect(south.getByRole("img", { name: "flagged" })).toBeVisible();
    const cell = south.getByRole("gridcell").nth(RHAT);
    await expect(cell).toHaveClass(/flagged/);
    await expect(cell).toHaveAttribute("title", "R-hat 1.005 is above 1.004: the chains have not mixed, so these draws are not yet trustworthy");
    await expect(south.getByRole("gridcell").nth(ESS_BULK)).not.toHaveClass(/flagged/);
    // ESS bulk of beta below 1,550: South (1,512) only; its tail (1,573) passes.
    await section(page).getByRole("spinbutton", { name: "ESS <" }).fill("1550");
    await expect(south.getByRole("gridcell").nth(ESS_BULK)).toHaveAttribute("title", /^ESS bulk 1,512 is below 1550: too few effective draws/);
    await expect(south.getByRole("gridcell").nth(ESS_TAIL)).not.toHaveClass(/flagged/);
    await expect(counts(page)).toContainText(/· \d+ flagged · \d+ shown/);
    await expect(page).toHaveURL(/diag=posterior;[^&]*rhat=1.004;ess=1550/);
  });

  test("a row opens its trace and density; ctrl/cmd- and shift-click pick several; the keyboard reaches rows", async ({ page }) => {
    await openExample(page);
    await showDiagnostics(page);
    const query = page.getByRole("combobox", { name: "Query" });
    const row = (name: string) =>
      grid(page)
        .getByRole("row")
        .filter({ has: page.locator(".diag-name", { hasText: new RegExp(`^${name.replace(/[[\]]/g, "\\$&")}$`) }) });

    await row("beta[North]").click();
    await expect(query).toHaveValue("beta[groups=North], sample_stats/diverging");
    const trace = page.locator("section.panel[data-kind=trace] figure.panel-figure");
    await expect(trace).toHaveAccessibleName(/^Trace of beta: /);
    await expect(page.locator("section.panel[data-kind=density] figure.panel-figure")).toHaveAccessibleName("Density of beta by groups: 1 curve in 1 facet");
    // The table stays open on its scope.
    await expect(counts(page)).toHaveText("105 elements · 1 flagged");

    await row("beta[North]").click({ modifiers: ["ControlOrMeta"] });
    await row("beta[East]").click({ modifiers: ["ControlOrMeta"] });
    await expect(row("beta[North]")).toHaveAttribute("aria-selected", "true");
    await expect(row("beta[South]")).toHaveAttribute("aria-selected", "false");
    await section(page).getByRole("button", { name: "Open 2 selected" }).click();
    await expect(query).toHaveValue("beta[groups=North|East], sample_stats/diverging");
    await expect(page.locator("section.panel[data-kind=density] figure.panel-figure")).toHaveAccessibleName(/^Density of beta by groups: 2 curves/);

    await section(page).getByRole("button", { name: "Clear selection" }).click();
    await row("beta[West]").click({ modifiers: ["ControlOrMeta"] });
    await row("intercept[South]").click({ modifiers: ["Shift"] });
    // From beta[West] (4th) to intercept[South] (6th): three rows.
    await expect(row("intercept[North]")).toHaveAttribute("aria-selected", "true");
    await section(page).getByRole("button", { name: "Open 3 selected" }).click();
    await expect(query).toHaveValue("beta[groups=West], intercept[groups=North|South], sample_stats/diverging");

    // Keyboard: focus the grid, arrows move the active row, Space picks, Enter opens.
    await section(page).getByRole("button", { name: "Clear selection" }).click();
    await grid(page).focus();
    // The active row is the last one clicked (intercept[South]); Home goes to the first.
    await expect(row("intercept[South]")).toHaveClass(/active/);
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await expect(grid(page)).toHaveAttribute(
      "aria-activedescendant",
      await row("beta[South]")
        .getAttribute("id")
        .then((id) => id!),
    );
    await page.keyboard.press("Enter");
    await expect(query).toHaveValue("beta[groups=South], sample_stats/diverging");
    await grid(page).focus();
    await page.keyboard.press("End");
    await expect(row("sigma")).toHaveClass(/active/);
    await page.keyboard.press("Space");
    await expect(row("sigma")).toHaveAttribute("aria-selected", "true");
    await expect(section(page).getByRole("button", { name: "Open 1 selected" })).toBeVisible();

    await section(page).getByRole("button", { name: "Close diagnostics" }).click();
    await expect(section(page)).toHaveCount(0);
    await expect(page).not.toHaveURL(/diag=/);
  });

  test("a link with the table open brings it back, with its filter and order", async ({ page, context }) => {
    await openExample(page);
    await showDiagnostics(page);
    await section(page).getByRole("searchbox", { name: "Filter" }).fill("^beta");
    await section(page).getByRole("columnheader", { name: "ESS bulk" }).getByRole("button").click();
    await expect(page).toHaveURL(/&diag=posterior;filter=%5Ebeta;sort=ess_bulk$/);
    const link = page.url();

    const other = await context.newPage();
    await other.goto(link);
    await expect(section(other)).toBeVisible();
    await expect(section(other).getByRole("searchbox", { name: "Filter" })).toHaveValue("^beta");
    await expect(section(other).getByRole("columnheader", { name: "ESS bulk" })).toHaveAttribute("aria-sort", "ascending");
    await expect(counts(other)).toHaveText("105 elements · 1 flagged · 4 shown");
    // By bulk ESS in R: South 1512, West 1582, North 1625, East 1652.
    const byEss = betaGolden.toSorted((a, b) => a.ess_bulk - b.ess_bulk).map((g) => `beta[${g.groups}]`);
    expect((await topRows(other, ESS_BULK)).names).toEqual(byEss);
  });

  test("a scope with nothing to diagnose says why in the table, and the app stays usable", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "constant_data/x");
    await expect(page.getByRole("figure", { name: /^Density of x/ })).toBeVisible();
    await showDiagnostics(page);
    await section(page).getByLabel("Scope").selectOption({ label: "the query (constant_data/x)" });
    await expect(section(page).getByRole("alert")).toHaveText("The diagnostics could not be computed: constant_data/x has no variables with draws to diagnose (data such as constant_data has none)");
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    // The query scope follows the query.
    await expect(counts(page)).toHaveText("1 element · 1 flagged");
    await expect(section(page).getByRole("alert")).toHaveCount(0);
    await section(page).getByLabel("Scope").selectOption("posterior");
    await expect(counts(page)).toHaveText("105 elements · 1 flagged");
  });

  test("100,000 rows stream in with progress, scroll with few rows in the DOM, sort, and Cancel stops a run", async ({ page }) => {
    test.setTimeout(180_000);
    // 3.2 million values: more than a first query reads by itself, so no panel draws them.
    const store = writeWideStore(100_000, 2, 16);
    await page.goto("/");
    await openFolder(page, store);
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("wide.zarr");
    await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
    const progress = section(page).getByRole("progressbar", { name: "Diagnostics computed" });
    await expect(progress).toBeVisible();
    // 32 draws are too few for an ESS of 400: every row is flagged.
    await expect(counts(page)).toHaveText("100,000 elements · 100,000 flagged", { timeout: 120_000 });
    await expect(progress).toHaveCount(0);
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "100001");
    expect(await grid(page).locator("tbody tr:not(.diag-spacer)").count()).toBeLessThan(60);

    // Scroll to the bottom with the wheel and keyboard: the last element is there.
    await grid(page).focus();
    await page.keyboard.press("End");
    await expect(grid(page).locator(".diag-name").last()).toHaveText("theta[99999]");
    expect(await grid(page).locator("tbody tr:not(.diag-spacer)").count()).toBeLessThan(60);
    await grid(page).hover();
    await page.mouse.wheel(0, -2600);
    await expect(grid(page).locator("tr[aria-rowindex='99901']")).toBeAttached();

    // Sorting 100,000 rows by the mean, descending: theta[99999] has the largest.
    const meanHeader = section(page).getByRole("columnheader", { name: "mean", exact: true });
    await meanHeader.getByRole("button").click();
    await meanHeader.getByRole("button").click();
    await expect(meanHeader).toHaveAttribute("aria-sort", "descending");
    await expect(grid(page).locator(".diag-name").first()).toHaveText("theta[99999]");
    await section(page).getByRole("searchbox", { name: "Filter" }).fill("^theta\\[1234\\d\\]$");
    await expect(grid(page)).toHaveAttribute("aria-rowcount", "11");
    await expect(grid(page).locator(".diag-name").first()).toHaveText("theta[12349]");

    // Computing again (the query's scope) and cancelling keeps the rows so far.
    await section(page).getByLabel("Scope").selectOption({ label: "the query (theta[param])" });
    await section(page).getByRole("button", { name: "Cancel" }).click();
    await expect(section(page).getByRole("status")).toContainText(/^Stopped after [\d,]+ of 100,000 elements: stopped before every row was computed\.$/);
    await expect(progress).toHaveCount(0);
  });
});
