import { expect, test, type Locator, type Page } from "@playwright/test";
import { densityMarks, openExample, runQuery } from "./helpers.ts";

const GROUPS = ["North", "South", "East", "West"];
const SHOTS = process.env.DRAWSCOPE_E2E_OUTPUT ?? "test-results";

/** The first density panel's section. */
const densityPanel = (page: Page) => page.locator("section[data-kind=density]").first();

/** The panel's Reference box (the rules drawn are labelled "reference line at …" too). */
const referenceBox = (page: Page) => densityPanel(page).getByRole("textbox", { name: "Reference", exact: true });

/** Plot's x scale of the panel's figure, read off the element Plot returned. */
async function xScale(figure: Locator): Promise<{ domain: number[]; range: number[] }> {
  return figure.locator(":scope > div > *").evaluate((node) => {
    const scale = (node as unknown as { scale(name: string): { domain: number[]; range: number[] } }).scale("x");
    return { domain: [...scale.domain], range: [...scale.range] };
  });
}

/** Where Plot's x scale puts `value`, in the SVG's own pixels. */
async function xPixel(figure: Locator, value: number): Promise<number> {
  return figure.locator(":scope > div > *").evaluate((node, v) => (node as unknown as { scale(name: string): { apply(x: number): number } }).scale("x").apply(v), value);
}

/** The x of every reference rule drawn (one per facet). */
async function referenceRules(figure: Locator): Promise<number[]> {
  return figure.locator('g[aria-description="reference line"] line').evaluateAll((lines) => lines.map((l) => Number(l.getAttribute("x1"))));
}

test.describe("density panel", () => {
  test("sigma is bounded below at 0 by default: the prior's curve starts at 0, none below", async ({ page }) => {
    await openExample(page);
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    await runQuery(page, "sigma");
    const panel = densityPanel(page);
    const figure = page.getByRole("figure", { name: "Density of sigma by source: 2 curves" });
    await expect(figure).toBeVisible();
    await expect(panel.getByLabel("Bounds")).toHaveValue("auto");
    await expect(figure.locator("figcaption")).toContainText("Silverman's rule of thumb, 0.9·min(sd, IQR/1.34)·n^(-1/5) (R's bw.nrd0); bounded below at 0: every draw of sigma is ≥ 0.");
    await expect(figure.locator("svg[data-lower], figure[data-lower]")).toHaveAttribute("data-lower", "0");
    // The prior's draws come within a bandwidth of 0 (its smallest is 0.0031): its curve is
    // reflected there, so the x axis starts exactly at the bound.
    expect((await xScale(figure)).domain[0]).toBe(0);
    expect(await densityMarks(page).then((m) => m.curves)).toEqual(["posterior", "prior"]);
    await page.screenshot({ path: `${SHOTS}/density-sigma-bounded.png`, fullPage: true });

    await panel.getByLabel("Bounds").selectOption("none");
    await expect(figure.locator("figcaption")).toContainText("; not bounded.");
    expect((await xScale(figure)).domain[0]).toBeLessThan(-0.05);
    await expect(figure.locator("[data-lower]")).toHaveCount(0);
    await expect(page).toHaveURL(/panel=density;[^&]*bounds=none/);

    // Chosen bounds that the draws cross are not used, and the caption says so.
    await runQuery(page, "beta[groups]");
    await panel.getByLabel("Bounds").selectOption("positive");
    await expect(page.getByRole("figure", { name: "Density of beta by groups and source: 8 curves in 4 facets" }).locator("figcaption")).toContainText(
      "not bounded: some draws of beta are below 0, so that bound is not used.",
    );
  });

  test("a reference value typed in the box draws a rule at that x in every facet, and goes in the link", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const figure = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" });
    await expect(figure).toBeVisible();
    await expect(figure.locator("figcaption")).toContainText("Click the plot to mark a reference line.");
    await expect(figure.locator('g[aria-description="reference line"]')).toHaveCount(0);
    await referenceBox(page).fill("0.5");
    await expect(figure.locator("figcaption")).toContainText("Reference line at 0.5 (click the plot to move it).");
    const rules = await referenceRules(figure);
    expect(rules).toHaveLength(4);
    const at = await xPixel(figure, 0.5);
    for (const x of rules) expect(Math.abs(x - at)).toBeLessThan(0.5);
    await expect(page).toHaveURL(/panel=density;[^&]*ref=0\.5(;|&|$)/);
    // The facets and curves are those of the plain panel.
    const { curves, facets } = await densityMarks(page);
    expect(curves).toEqual(GROUPS);
    expect(facets).toEqual(GROUPS);
    await figure.scrollIntoViewIfNeeded();
    await figure.screenshot({ path: `${SHOTS}/density-beta-reference.png` });

    await referenceBox(page).fill("");
    await expect(figure.locator('g[aria-description="reference line"]')).toHaveCount(0);
    await expect(page).not.toHaveURL(/ref=0\.5/);
  });

  test("clicking the plot marks the reference line where it was clicked", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const figure = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" });
    await expect(figure).toBeVisible();
    const svg = figure.locator(":scope > div > svg");
    const box = (await svg.boundingBox())!;
    const { domain } = await xScale(figure);
    const target = 1.2;
    // Plot draws the SVG at its own width, so its pixels are the page's.
    await page.mouse.click(box.x + (await xPixel(figure, target)), box.y + box.height / 3);
    const reference = referenceBox(page);
    await expect(reference).not.toHaveValue("");
    const marked = Number(await reference.inputValue());
    // Rounded to about three significant digits of the axis' span.
    expect(Math.abs(marked - target)).toBeLessThan((domain[1] - domain[0]) / 100);
    await expect(page).toHaveURL(new RegExp(`ref=${String(marked).replace(".", "\\.")}(;|&|$)`));
    const rules = await referenceRules(figure);
    expect(rules).toHaveLength(4);
    const at = await xPixel(figure, marked);
    for (const x of rules) expect(Math.abs(x - at)).toBeLessThan(0.5);
    // A click in the facet labels' margin is not on the axis: nothing changes.
    await page.mouse.click(box.x + 4, box.y + box.height / 3);
    await expect(reference).toHaveValue(String(marked));
  });

  test("the ridgeline layout stacks one labelled ridge per level on one x axis", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const panel = densityPanel(page);
    await panel.getByLabel("Layout").selectOption("ridgeline");
    const figure = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 ridges" });
    await expect(figure).toBeVisible();
    await expect(page).toHaveURL(/panel=density;[^&]*layout=ridgeline/);
    const ridges = figure.locator('g[aria-label="y-axis tick label"] text');
    await expect(ridges).toHaveText(GROUPS);
    const { curves } = await densityMarks(page);
    expect(curves).toEqual(GROUPS);
    // Top to bottom in label order, evenly spaced, on one shared x axis (no facets).
    const ys = await ridges.evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect().y));
    const gaps = ys.slice(1).map((y, i) => y - ys[i]);
    for (const gap of gaps) expect(Math.abs(gap - gaps[0])).toBeLessThan(1);
    expect(gaps[0]).toBeGreaterThan(30);
    await expect(figure.locator('g[aria-label="fy-axis tick label"]')).toHaveCount(0);
    await expect(figure.locator('g[aria-label="x-axis tick label"]')).toHaveCount(1);
    await referenceBox(page).fill("0");
    await expect(figure.locator('g[aria-description="reference line"] line')).toHaveCount(1);
    await figure.scrollIntoViewIfNeeded();
    await figure.screenshot({ path: `${SHOTS}/density-beta-ridgeline.png` });

    await runQuery(page, "mu[obs_ind]");
    const many = page.getByRole("figure", { name: "Density of mu by obs_ind: 96 curves in 96 ridges" });
    // A new extraction and 96 estimates: more than the default 5 s on a loaded machine.
    await expect(many).toBeVisible({ timeout: 20_000 });
    const levels = Array.from({ length: 96 }, (_, i) => String(i));
    await expect(many.locator('g[aria-label="y-axis tick label"] text')).toHaveText(levels);
    expect((await densityMarks(page)).curves).toEqual(levels);
    await many.screenshot({ path: `${SHOTS}/density-mu-ridgeline.png` });
  });

  test("the overlay layout draws the facet dimension's curves in one plot", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    await densityPanel(page).getByLabel("Layout").selectOption("overlay");
    const figure = page.getByRole("figure", { name: "Density of beta by groups: 4 curves" });
    await expect(figure).toBeVisible();
    await expect(figure.locator('g[aria-label="fy-axis tick label"]')).toHaveCount(0);
    expect((await densityMarks(page)).curves).toEqual(GROUPS);
  });
});
