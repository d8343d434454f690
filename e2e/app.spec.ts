import { expect, test, type Page } from "@playwright/test";
import { densityMarks, dropFile, expectBetaSigma, fixture, openExample, openFile, openFolder, runQuery, serveFixtures, startQuery } from "./helpers.ts";

test.describe("opening traces", () => {
  test("the empty state explains what to drop and opens the example in one click", async ({ page }) => {
    await page.goto("/");
    const empty = page.getByRole("region", { name: "Explore posterior draws, in your browser" });
    await expect(empty).toContainText("Drop an ArviZ trace anywhere on this page: a Zarr folder");
    await expect(empty).toContainText("or a NetCDF file such as trace.nc (as idata.to_netcdf saves it)");
    await expect(empty).toContainText("Nothing is uploaded");
    await empty.getByRole("button", { name: "Open the example" }).click();
    const trace = page.getByRole("navigation", { name: "Trace" });
    await expect(trace).toContainText("Zarr v2, consolidated · 8 groups");
    await expect(trace.getByRole("button", { name: "beta[groups] 4×400×4" })).toBeVisible();
    await expect(trace.getByRole("button", { name: "mu[obs_ind] 4×400×96" })).toBeVisible();
    await expect(trace).toContainText("North, South, East, West");
    await expectBetaSigma(page);
    await page.screenshot({ path: "docs/drawscope.png", fullPage: true });
  });

  test("/#trace=example opens the example straight away, with a first query drawn", async ({ page }) => {
    await page.goto("/#trace=example");
    await expect(page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue("beta[groups]");
    await expect(page).toHaveURL(/#trace=example&fp=[0-9a-f]{16}&q=beta\[groups\]&panel=density&panel=table$/);
  });

  const picked = [
    { what: "a Zarr v2 folder from Open folder", open: openFolder, path: "grouped_regression.zarr", shows: "Zarr v2, consolidated" },
    { what: "a Zarr v3 folder from Open folder", open: openFolder, path: "grouped_regression.v3.zarr", shows: "Zarr v3, consolidated" },
    { what: "a zipped v2 store from Open file", open: openFile, path: "grouped_regression.zarr.zip", shows: "grouped_regression.zarr.zip" },
  ];
  for (const { what, open, path, shows } of picked) {
    test(what, async ({ page }) => {
      await page.goto("/");
      await open(page, fixture(path));
      await expect(page.getByRole("navigation", { name: "Trace" })).toContainText(shows);
      await expectBetaSigma(page);
    });
  }

  test("a zipped v3 store dropped on the page", async ({ page }) => {
    await serveFixtures(page);
    await page.goto("/");
    await dropFile(page, "grouped_regression.v3.zarr.zip", "grouped_regression.v3.zarr.zip");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("grouped_regression.v3.zarr.zip");
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v3");
    await expectBetaSigma(page);
  });

  test("Zarr folders served over HTTP, from Open URL", async ({ page }) => {
    await serveFixtures(page);
    await page.goto("/");
    const url = page.getByRole("textbox", { name: "Store URL" });
    await url.fill("/__fixtures/grouped_regression.v3.zarr/");
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v3");
    await expectBetaSigma(page);
    await url.fill("/__fixtures/arviz/centered_eight.zarr");
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight");
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue("theta[school]");
    await expect(page.getByRole("figure", { name: "Density of theta by school: 8 curves in 8 facets" })).toBeVisible();
  });

  test("bad input gets a specific error and the open trace stays usable", async ({ page }) => {
    await openExample(page);
    // An HDF5 signature and nothing after it: a NetCDF-4 file cut short.
    await openFile(page, { name: "grouped_regression.nc", mimeType: "application/x-netcdf", buffer: Buffer.from("\x89HDF\r\n\x1a\n", "latin1") });
    const notice = page.getByRole("alert").filter({ hasText: "Could not open grouped_regression.nc" });
    await expect(notice).toContainText("cannot open grouped_regression.nc as a netCDF-4 (HDF5) file");
    await expect(notice).toContainText("Still open: the example (grouped_regression.zarr.zip).");
    await notice.getByRole("button", { name: "Dismiss" }).click();

    await openFile(page, { name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("hello") });
    const broken = page.getByRole("alert").filter({ hasText: "Could not open notes.zip" });
    await expect(broken).toContainText("notes.zip is not a readable zip file");
    await expect(broken).toContainText("zip the Zarr folder and try again.");
    await broken.getByRole("button", { name: "Dismiss" }).click();

    // A server that cannot be reached, and one that answers with a web page instead of metadata.
    await page.context().route("**/unreachable.zarr/**", (route) => route.abort("connectionrefused"));
    await page.context().route("**/page.zarr/**", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><p>Welcome</p>" }));
    const url = page.getByRole("textbox", { name: "Store URL" });
    await url.fill("/unreachable.zarr");
    await page.getByRole("button", { name: "Open URL" }).click();
    const unreachable = page.getByRole("alert").filter({ hasText: "Could not open" });
    await expect(unreachable).toContainText(`cannot read zarr.json of ${new URL(page.url()).origin}/unreachable.zarr: Failed to fetch`);
    await expect(unreachable).toContainText("must allow this page to read it (CORS)");
    await unreachable.getByRole("button", { name: "Dismiss" }).click();
    await url.fill("/page.zarr");
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Could not open" })).toContainText(`${new URL(page.url()).origin}/page.zarr has a zarr.json that is not JSON, so it is not Zarr metadata`);
    await expectBetaSigma(page);
  });
});

test.describe("the query bar", () => {
  test("marks a bad spec inline and keeps the last good panels", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[group], sigma");
    const alert = page.getByRole("alert").filter({ hasText: "has no dimension" });
    await expect(alert).toContainText("'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?");
    await expect(alert.locator("mark")).toHaveText("group");
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveAttribute("aria-invalid", "true");
    await runQuery(page, "sigma, y");
    await expect(page.getByRole("alert").filter({ hasText: "no variable" })).toContainText("write 'posterior_predictive/y'");
    await expect(page.getByRole("alert").locator("mark")).toHaveText("y");
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);
  });

  test("a query over the memory budget is refused at once; Intervals still summarise it; a larger budget runs it and goes in the link", async ({ page }) => {
    await page.goto("/#trace=example&q=mu[obs_ind],%20sigma&mem=1");
    const refusal = page.getByRole("alert").filter({ hasText: "over the memory budget" }).first();
    await expect(refusal.locator("p").first()).toHaveText(
      "mu[obs_ind], sigma would make a table of 153,600 rows × 20 bytes = 3.1 MB, over the memory budget of 1.0 MB. " +
        "Narrow it: pick labels (e.g. mu[obs_ind=0|1]) or fewer specs, or raise the budget.",
    );
    await expect(refusal.locator("p").nth(1)).toHaveText("Intervals and Quantile dots summarise it chunk by chunk without holding it; the other panels need a narrower query.");
    // The table is not held: panels that need it say so, and the app goes on.
    const density = page.locator("section[data-kind=density]");
    await expect(density.getByRole("alert")).toHaveText(
      "Density needs the query's whole table, which is over the memory budget: narrow the query (a selection of labels, fewer specs) or raise the budget.",
    );
    await page.getByLabel("Panel kind").selectOption("interval");
    await page.getByRole("button", { name: "Add panel" }).click();
    const intervals = page.locator("section[data-kind=interval] figure.panel-figure");
    await expect(intervals).toHaveAttribute("aria-label", /^Intervals of mu by obs_ind: 96 rows, median with/);
    await expect(intervals.locator("figcaption")).toContainText("Summarised element by element from the chunks as they were read");
    await expect(intervals.locator("figcaption")).toContainText("from 1,600 draws per row");
    await page.screenshot({ path: test.info().outputPath("oversize-intervals.png"), fullPage: true });

    const budget = page.getByRole("spinbutton", { name: "Memory budget in MB" });
    await expect(budget).toHaveValue("1");
    await budget.fill("10");
    await budget.press("Enter");
    await expect(page.getByRole("figure", { name: /^Tidy table of mu\[obs_ind\], sigma: 153,600 rows/ })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expect(intervals.locator("figcaption")).not.toContainText("Summarised element by element");
    await expect(page).toHaveURL(/&mem=10(&|$)/);
  });

  test("completes variables, dims and groups from the keyboard", async ({ page }) => {
    await openExample(page);
    const input = page.getByRole("combobox", { name: "Query" });
    await input.fill("");
    await input.pressSequentially("be");
    const list = page.getByRole("listbox", { name: "Completions" });
    await expect(list.getByRole("option").first()).toContainText("beta[groups]4×400×4");
    await input.press("Tab");
    await expect(input).toHaveValue("beta[groups]");
    await input.pressSequentially(", si");
    await input.press("ArrowDown");
    await expect(list.getByRole("option", { selected: true })).toContainText("sigma");
    await input.press("Enter");
    await expect(input).toHaveValue("beta[groups], sigma");
    await input.pressSequentially(", constant_data/");
    await expect(list.getByRole("option")).toHaveText(["constant_data/group_idx[obs_ind]96", "constant_data/x[obs_ind]96"]);
    await input.press("Escape");
    await expect(list).toHaveCount(0);
    await input.fill("mu[");
    await input.press("End");
    await input.pressSequentially("o");
    await expect(list.getByRole("option")).toHaveText(["obs_ind96 labels"]);
    await input.press("Tab");
    await input.pressSequentially("]");
    await input.press("Enter");
    await expect(page.getByRole("figure", { name: /^Density of mu by obs_ind: 96 curves$/ })).toBeVisible();
    await expect(page.getByRole("figure", { name: /^Density of mu/ })).toContainText("96 levels of obs_ind are too many to facet: overlaid.");
    // Posterior and prior together would be 192 curves: the panel draws the first 120 and says so.
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const both = page.getByRole("figure", { name: "Density of mu by obs_ind and source: 120 curves" });
    await expect(both).toContainText("Showing the first 120 of 192 curves");
    expect((await densityMarks(page)).curves).toHaveLength(120);
  });

  test("clicking a variable in the trace browser inserts its spec", async ({ page }) => {
    await openExample(page);
    const input = page.getByRole("combobox", { name: "Query" });
    await input.fill("");
    const trace = page.getByRole("navigation", { name: "Trace" });
    await trace.getByRole("button", { name: "beta[groups] 4×400×4" }).click();
    await trace.getByRole("button", { name: "sigma 4×400" }).click();
    await trace.getByText("constant_data").click();
    await trace.getByRole("button", { name: "x[obs_ind] 96", exact: true }).click();
    await expect(input).toHaveValue("beta[groups], sigma, constant_data/x[obs_ind]");
    await expect(input).toBeFocused();
    await trace.getByRole("button", { name: "sigma 4×400" }).focus();
    await page.keyboard.press("/");
    await expect(input).toBeFocused();
    await expect(input).toHaveValue("beta[groups], sigma, constant_data/x[obs_ind]");
  });
});

test.describe("panels and shared views", () => {
  test("panels are added, reordered and removed, each with its own options", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    await page.getByLabel("Panel kind").selectOption("density");
    await page.getByRole("button", { name: "Add panel" }).click();
    const panels = page.locator("section.panel");
    await expect(panels).toHaveCount(3);
    await expect(panels.nth(2)).toHaveAttribute("data-kind", "density");
    const second = panels.nth(2);
    await second.getByLabel("Value").selectOption("sigma");
    await second.getByLabel("Facet by").selectOption("");
    await second.getByLabel("Colour by").selectOption("");
    await expect(second.locator("figure.panel-figure")).toHaveAccessibleName("Density of sigma: 1 curve");
    // The first density panel kept its own options.
    await expect(panels.nth(0).locator("figure.panel-figure")).toHaveAccessibleName("Density of beta by groups: 4 curves in 4 facets");
    await second.getByRole("button", { name: "Move Density panel up" }).click();
    await expect(panels.nth(1).locator("figure.panel-figure")).toHaveAccessibleName("Density of sigma: 1 curve");
    await panels.nth(2).getByRole("button", { name: "Remove Table panel" }).click();
    await expect(panels).toHaveCount(2);
    await expect(page.locator("section.panel[data-kind=table]")).toHaveCount(0);
  });

  test("Copy link gives a URL that restores the same view of the example in a new page", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    // With a source column, curves are coloured by it unless the user says otherwise.
    await expect(page.getByRole("figure", { name: "Density of beta by groups and source: 8 curves in 4 facets" })).toBeVisible();
    const density = page.locator("section[data-kind=density]");
    await density.getByLabel("Facet by").selectOption("source");
    await density.getByLabel("Colour by").selectOption("groups");
    await density.getByLabel("Bandwidth ×").fill("2");
    await density.getByLabel("Fill").uncheck();
    await expect(page.getByRole("figure", { name: "Density of beta by source and groups: 8 curves in 2 facets" })).toBeVisible();
    await page.locator("section[data-kind=table]").getByLabel("Rows shown").selectOption("50");
    await page.locator("section[data-kind=table]").getByRole("button", { name: "Move Table panel up" }).click();

    await page.getByRole("button", { name: "Copy link" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain("#trace=example&fp=");
    expect(link).toContain("q=beta[groups],%20sigma&g=posterior,prior");

    const fresh = await context.newPage();
    await fresh.goto(link);
    await expectSameView(fresh);
  });

  test("a link to a local trace asks for it, applies the view when it matches, and says when it does not", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/");
    await openFolder(page, fixture("grouped_regression.zarr"));
    await runQuery(page, "intercept[groups]");
    await page.locator("section[data-kind=density]").getByLabel("Facet by").selectOption("");
    await page.getByRole("button", { name: "Copy link" }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain("local=grouped_regression.zarr&fp=");

    const other = await context.newPage();
    await other.goto(link);
    const ask = other.getByRole("status").filter({ hasText: "Open the trace to see this view" });
    await expect(ask).toContainText("This link shows a view of ‘grouped_regression.zarr’");
    await openFolder(other, fixture("arviz", "centered_eight.zarr"));
    const mismatch = other.getByRole("alert").filter({ hasText: "This is not the trace the link was made for" });
    await expect(mismatch).toContainText("The link shows a view of ‘grouped_regression.zarr’, but ‘centered_eight.zarr’ has different groups, variables or shapes");
    await expect(mismatch).toContainText("The linked view was not applied");
    await expect(other.getByRole("combobox", { name: "Query" })).toHaveValue("theta[school]");
    expect(other.url()).toBe(link);

    // The same trace as a v3 zip has the same structure, so the view applies.
    await openFile(other, fixture("grouped_regression.v3.zarr.zip"));
    await expect(other.getByRole("combobox", { name: "Query" })).toHaveValue("intercept[groups]");
    await expect(other.getByRole("figure", { name: "Density of intercept by groups: 4 curves" })).toBeVisible();
    await expect(other.getByRole("alert")).toHaveCount(0);
  });

  test("a link to a trace served over HTTP reopens it by itself", async ({ page, context }) => {
    await serveFixtures(page);
    await page.goto("/");
    await page.getByRole("textbox", { name: "Store URL" }).fill("/__fixtures/grouped_regression.zarr.zip");
    await page.getByRole("button", { name: "Open URL" }).click();
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    const link = page.url();
    expect(link).toContain(`url=${encodeURIComponent(new URL(page.url()).origin).replace(/%2F/g, "/")}/__fixtures/grouped_regression.zarr.zip`);
    const fresh = await context.newPage();
    await fresh.goto(link);
    await expect(fresh.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    await expect(fresh.getByRole("navigation", { name: "Trace" })).toContainText("grouped_regression.zarr.zip");
  });
});

/** The view built in the Copy link test, as it must come back. */
async function expectSameView(page: Page): Promise<void> {
  const panels = page.locator("section.panel");
  await expect(panels).toHaveCount(2);
  await expect(panels.nth(0)).toHaveAttribute("data-kind", "table");
  await expect(panels.nth(0).getByLabel("Rows shown")).toHaveValue("50");
  await expect(panels.nth(0).locator("tbody tr")).toHaveCount(50);
  await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue("beta[groups], sigma");
  const groups = page.getByRole("group", { name: "Groups to read from" });
  await expect(groups.getByRole("button", { name: "prior", exact: true })).toHaveAttribute("aria-pressed", "true");
  const density = panels.nth(1);
  await expect(density.getByLabel("Facet by")).toHaveValue("source");
  await expect(density.getByLabel("Colour by")).toHaveValue("groups");
  await expect(density.getByLabel("Bandwidth ×")).toHaveValue("2");
  await expect(density.getByLabel("Fill")).not.toBeChecked();
  await expect(density.locator("figure.panel-figure")).toHaveAccessibleName("Density of beta by source and groups: 8 curves in 2 facets");
  const { curves, facets } = await densityMarks(page);
  expect(facets).toEqual(["posterior", "prior"]);
  expect(curves).toEqual(["posterior · North", "posterior · South", "posterior · East", "posterior · West", "prior · North", "prior · South", "prior · East", "prior · West"]);
  await expect(density.locator('g[aria-label="area"]')).toHaveCount(0);
}

test.describe("long loads", () => {
  test("a slow load shows progress and can be cancelled, keeping what was open", async ({ page }) => {
    let slow = 0;
    await serveFixtures(page, () => slow);
    await page.goto("/");
    await page.getByRole("textbox", { name: "Store URL" }).fill("/__fixtures/grouped_regression.v3.zarr");
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(page.getByRole("figure", { name: /^Density of beta/ })).toBeVisible();

    slow = 400;
    await startQuery(page, "mu[obs_ind], sigma");
    const progress = page.getByRole("status", { name: "Progress" });
    await expect(progress).toContainText("Reading mu[obs_ind], sigma");
    // mu is 4 chunks in the v3 store, sigma 1.
    await expect(progress).toContainText(/\d of 5 chunks · \d of 2 arrays · [\d.]+ MB read/);
    await progress.getByRole("button", { name: "Cancel" }).click();
    await expect(progress).toHaveCount(0);
    await expect(page.getByRole("figure", { name: /^Density of beta/ })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);

    await page.getByRole("textbox", { name: "Store URL" }).fill("/__fixtures/grouped_regression.zarr");
    await page.getByRole("button", { name: "Open URL" }).click();
    await expect(progress).toContainText(`Opening ${new URL(page.url()).origin}/__fixtures/grouped_regression.zarr`);
    await expect(progress).toContainText(/metadata: [1-9]\d* reads? · [\d.]+ MB/);
    await progress.getByRole("button", { name: "Cancel" }).click();
    const cancelled = page.getByRole("status").filter({ hasText: "Opening cancelled" });
    await expect(cancelled).toContainText(`Still open: ${new URL(page.url()).origin}/__fixtures/grouped_regression.v3.zarr.`);
    slow = 0;
    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v3");
  });

  test("Cancel stops the example's download and leaves the page as it was", async ({ page }) => {
    await page.route("**/examples/grouped_regression.zarr.zip", async (route) => {
      await new Promise((r) => setTimeout(r, 3000));
      await route.continue().catch(() => undefined);
    });
    await page.goto("/");
    await page.getByRole("button", { name: "Open the example" }).click();
    const progress = page.getByRole("status", { name: "Progress" });
    await expect(progress).toContainText("Opening the example…");
    await progress.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Opening cancelled" })).toContainText("The example was not opened.");
    await expect(progress).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Open the example" })).toBeEnabled();
    await expect(page.getByRole("navigation", { name: "Trace" })).toHaveCount(0);
  });

  test("follows the system's dark theme", async ({ browser }) => {
    const page = await browser.newPage({ colorScheme: "dark" });
    await openExample(page);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe("rgb(21, 23, 27)");
    await page.screenshot({ path: "docs/drawscope-dark.png" });
    await page.close();
  });
});
