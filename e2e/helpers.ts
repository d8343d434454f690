import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, type FileChooser, type Locator, type Page } from "@playwright/test";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

/**
 * Serve fixtures/ at /__fixtures/… (ranges and 404s as a static server gives them),
 * for Open URL and drops. `delay` is asked before each answer, to make loads slow on purpose.
 */
export async function serveFixtures(page: Page, delay: () => number = () => 0): Promise<void> {
  await page.context().route("**/__fixtures/**", async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/__fixtures\//, ""));
    const file = fixture(path);
    const wait = delay();
    if (wait) await new Promise((r) => setTimeout(r, wait));
    if (!existsSync(file) || !statSync(file).isFile()) return route.fulfill({ status: 404, body: "not found" });
    const range = route.request().headers().range;
    if (!range) return route.fulfill({ path: file });
    const bytes = readFileSync(file);
    const [, from, to] = /bytes=(\d*)-(\d*)/.exec(range)!;
    const start = from === "" ? bytes.length - Number(to) : Number(from);
    const end = from === "" || to === "" ? bytes.length - 1 : Math.min(Number(to), bytes.length - 1);
    return route.fulfill({
      status: 206,
      headers: { "content-range": `bytes ${start}-${end}/${bytes.length}`, "accept-ranges": "bytes", "content-type": "application/octet-stream" },
      body: bytes.subarray(start, end + 1),
    });
  });
}

export async function openExample(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Open the example" }).click();
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("grouped_regression.zarr.zip");
}

/** Pick a folder through the Open folder button's file chooser. */
export async function openFolder(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Open folder" }).click();
  await (await chooser).setFiles(path);
}

/** Pick files through Open file: paths, or files made in the test (name, type and bytes). */
export async function openFile(page: Page, file: Parameters<FileChooser["setFiles"]>[0]): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Open file" }).click();
  await (await chooser).setFiles(file);
}

/** Drop a file on the page as a user dragging one in would (a File in a DataTransfer). */
export async function dropFile(page: Page, fixturePath: string, name: string): Promise<void> {
  await page.evaluate(
    async ({ url, name }) => {
      const blob = await (await fetch(url)).blob();
      const data = new DataTransfer();
      data.items.add(new File([blob], name, { type: "application/zip" }));
      for (const type of ["dragenter", "dragover", "drop"]) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { url: `/__fixtures/${fixturePath}`, name },
  );
}

/** Drop several files on the page at once, as a user dragging a selection of files in would. */
export async function dropFiles(page: Page, fixturePaths: string[]): Promise<void> {
  await page.evaluate(
    async (urls) => {
      const data = new DataTransfer();
      for (const url of urls) {
        const blob = await (await fetch(url)).blob();
        data.items.add(new File([blob], url.slice(url.lastIndexOf("/") + 1), { type: "text/csv" }));
      }
      for (const type of ["dragenter", "dragover", "drop"]) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    fixturePaths.map((path) => `/__fixtures/${path}`),
  );
}

/** Type a query and press Enter, without waiting for it to be read. */
export async function startQuery(page: Page, query: string): Promise<void> {
  const input = page.getByRole("combobox", { name: "Query" });
  await input.fill(query);
  await input.press("Escape");
  await input.press("Enter");
}

/**
 * Type a query and run it; resolves once it has been read and every panel has drawn the worker's
 * data for it (until then a panel keeps its last figure, marked busy).
 */
export async function runQuery(page: Page, query: string): Promise<void> {
  await startQuery(page, query);
  await expect(page.getByRole("status", { name: "Progress" })).toHaveCount(0);
  await expect(page.locator('figure.panel-figure[aria-busy="true"]')).toHaveCount(0);
}

/** The first density figure, with its curves' labels and facet labels read off Plot's SVG. */
export async function densityMarks(page: Page) {
  const figure = page.locator("section[data-kind=density] figure.panel-figure").first();
  return {
    figure,
    curves: await figure.locator('g[aria-description="density curves"] path').evaluateAll((paths) => paths.map((p) => p.getAttribute("aria-label"))),
    facets: await figure.locator('g[aria-label="fy-axis tick label"] text').allTextContents(),
  };
}

/** Add a panel of `kind` through the "Add panel" control; the new panel's section. */
export async function addPanel(page: Page, kind: string): Promise<Locator> {
  await page.getByLabel("Panel kind").selectOption(kind);
  await page.getByRole("button", { name: "Add panel" }).click();
  return page.locator(`section.panel[data-kind=${kind}]`).last();
}

const GROUPS = ["North", "South", "East", "West"];

/** `beta[groups], sigma` on an open grouped_regression trace: one density per group, and the table. */
export async function expectBetaSigma(page: Page): Promise<void> {
  await runQuery(page, "beta[groups], sigma");
  const density = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" });
  await expect(density).toBeVisible();
  const { curves, facets } = await densityMarks(page);
  expect(curves).toEqual(GROUPS);
  expect(facets).toEqual(GROUPS);
  const table = page.getByRole("figure", { name: "Tidy table of beta[groups], sigma: 6,400 rows, 5 columns" });
  await expect(table.locator("thead th span")).toHaveText(["chain", "draw", "groups", "beta", "sigma"]);
  // chain 0, draw 0, North in the golden table: beta 0.35074762718133845, sigma 0.47830134586249906.
  const first = table.locator("tbody tr").first().locator("td");
  await expect(first).toHaveText(["0", "0", "North", "0.350748", "0.478301"]);
  await expect(first.nth(3)).toHaveAttribute("title", "0.35074762718133845");
  await expect(first.nth(4)).toHaveAttribute("title", "0.47830134586249906");
}
