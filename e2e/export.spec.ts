import { readFileSync, writeFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { tableFromIPC } from "apache-arrow";
import { parquetToTable } from "../src/engine/parquet.ts";
import { openExample, runQuery } from "./helpers.ts";

const GROUPS = ["North", "South", "East", "West"];
/** The page's text colour (--fg) and panel background (--panel), light and dark. */
const THEMES = {
  light: { text: "rgb(29, 31, 35)", panel: [255, 255, 255] },
  dark: { text: "rgb(230, 232, 235)", panel: [28, 31, 36] },
};
/** Plot's first categorical colour (observable10), which draws North and then posterior. */
const FIRST_COLOUR = [66, 105, 208];
/** Where exported PNGs and screenshots of exported SVGs go, to look at. */
const SHOTS = process.env.DRAWSCOPE_E2E_OUTPUT ?? "test-results";

/** Click one item of a panel's Export menu and return the file it downloads. */
async function exportFrom(panel: Locator, item: string): Promise<{ name: string; bytes: Buffer }> {
  const page = panel.page();
  await panel.getByRole("button", { name: "Export", exact: true }).click();
  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: item, exact: true }).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

/** The figure a panel drew (the node the panel kind rendered) and its size on screen. */
async function figureBox(panel: Locator): Promise<{ width: number; height: number }> {
  return panel
    .locator("figure.panel-figure > div > *")
    .first()
    .evaluate((node) => {
      const { width, height } = node.getBoundingClientRect();
      return { width, height };
    });
}

/** An exported SVG read with the browser's XML parser: its size, curves, texts and images. */
async function readSvg(page: Page, text: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      root: root.localName,
      width: Number(root.getAttribute("width")),
      height: Number(root.getAttribute("height")),
      background: root.querySelector(":scope > rect")?.getAttribute("fill"),
      curves: [...doc.querySelectorAll('g[aria-description="density curves"] path')].map((p) => p.getAttribute("aria-label")),
      curveTitles: [...doc.querySelectorAll('g[aria-description="density curves"] path > title')].map((t) => t.textContent),
      curvePaths: [...doc.querySelectorAll('g[aria-description="density curves"] path')].map((p) => (p.getAttribute("d") ?? "").length),
      texts: [...doc.querySelectorAll("text")].map((t) => t.textContent),
      images: [...doc.querySelectorAll("image")].map((i) => ({
        x: Number(i.getAttribute("x")),
        y: Number(i.getAttribute("y")),
        width: Number(i.getAttribute("width")),
        height: Number(i.getAttribute("height")),
        png: (i.getAttribute("href") ?? "").startsWith("data:image/png;base64,"),
      })),
    };
  }, text);
}

/**
 * Open the SVG file on its own in a fresh page (no app, no style sheet) and read what its texts
 * are painted with; a screenshot of it goes to `shot`.
 */
async function standaloneTextFills(page: Page, text: string, shot: string): Promise<string[]> {
  const alone = await page.context().newPage();
  await alone.goto(`data:image/svg+xml;base64,${Buffer.from(text).toString("base64")}`);
  const fills = await alone.locator("text").evaluateAll((texts) => [...new Set(texts.map((t) => getComputedStyle(t).fill))]);
  await alone.screenshot({ path: `${SHOTS}/${shot}` });
  await alone.close();
  return fills;
}

/** PNG size from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Decode a PNG in the page: its size, the colour at a few points, and how many pixels match a colour. */
async function decodePng(page: Page, bytes: Buffer, points: [number, number][], colour: number[]) {
  return page.evaluate(
    async ({ base64, points, colour }) => {
      const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const at = ([x, y]: [number, number]) => Array.from(data.subarray((y * bitmap.width + x) * 4, (y * bitmap.width + x) * 4 + 4));
      let matching = 0;
      let differentFromCorner = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - colour[0]) + Math.abs(data[i + 1] - colour[1]) + Math.abs(data[i + 2] - colour[2]) <= 12) matching++;
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differentFromCorner++;
      }
      return { width: bitmap.width, height: bitmap.height, colours: points.map(at), matching, differentFromCorner };
    },
    { base64: bytes.toString("base64"), points, colour },
  );
}

test.describe("export", () => {
  test("the density figure exports as an SVG and a 2× PNG that look as it renders", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const density = page.locator("section[data-kind=density]");
    // The example's first query (beta[groups]) draws a figure of the same name: wait for this query's.
    await expect(density.locator('figure.panel-figure[data-query="beta[groups], sigma"]')).toHaveAccessibleName("Density of beta by groups: 4 curves in 4 facets");
    const box = await figureBox(density);

    const svg = await exportFrom(density, "Figure as SVG");
    expect(svg.name).toBe("drawscope-density-beta_groups_sigma.svg");
    const text = svg.bytes.toString("utf8");
    writeFileSync(`${SHOTS}/exported-density-light.svg`, text);
    const read = await readSvg(page, text);
    expect(read.error).toBeNull();
    expect(read.root).toBe("svg");
    expect(read.width).toBeCloseTo(box.width, 1);
    expect(read.height).toBeCloseTo(box.height, 1);
    expect(read.background).toBe(`rgb(${THEMES.light.panel.join(", ")})`);
    expect(read.curves).toEqual(GROUPS);
    expect(read.curveTitles).toEqual(GROUPS);
    // Each curve is a path of 256 KDE points.
    for (const length of read.curvePaths) expect(length).toBeGreaterThan(1000);
    for (const label of [...GROUPS, "beta →"]) expect(read.texts).toContain(label);
    expect(text).not.toContain("currentColor");
    expect(await standaloneTextFills(page, text, "export-density-light.png")).toEqual([THEMES.light.text]);

    const png = await exportFrom(density, "Figure as PNG");
    writeFileSync(`${SHOTS}/exported-density-light.png`, png.bytes);
    expect(png.name).toBe("drawscope-density-beta_groups_sigma.png");
    const size = { width: Math.round(box.width * 2), height: Math.round(box.height * 2) };
    expect(pngSize(png.bytes)).toEqual(size);
    const decoded = await decodePng(page, png.bytes, [[2, 2]], FIRST_COLOUR);
    expect({ width: decoded.width, height: decoded.height }).toEqual(size);
    expect(decoded.colours[0]).toEqual([...THEMES.light.panel, 255]);
    // North's curve and its fill are drawn in the first categorical colour; axes and labels differ from the background.
    expect(decoded.matching).toBeGreaterThan(200);
    expect(decoded.differentFromCorner).toBeGreaterThan(0.05 * size.width * size.height);
  });

  test("the tidy table exports as CSV, Arrow and Parquet files that read back with 6,400 rows", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const table = page.locator("section[data-kind=table]");
    await expect(table.getByRole("figure", { name: "Tidy table of beta[groups], sigma: 6,400 rows, 5 columns" })).toBeVisible();
    await table.getByRole("button", { name: "Export", exact: true }).click();
    // The table panel draws HTML, not a graphic: it offers its data only.
    const menu = table.getByRole("group", { name: "Export" });
    await expect(menu.getByRole("button")).toHaveText(["Table as CSV", "Table as Arrow", "Table as Parquet"]);
    // Escape closes the menu and leaves the keyboard on its button.
    await menu.getByRole("button", { name: "Table as CSV" }).focus();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(table.getByRole("button", { name: "Export", exact: true })).toBeFocused();

    const csv = await exportFrom(table, "Table as CSV");
    expect(csv.name).toBe("drawscope-tidy-beta_groups_sigma.csv");
    const lines = csv.bytes.toString("utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.length - 2).toBe(6400);
    expect(lines.slice(0, 2)).toEqual(["chain,draw,groups,beta,sigma", "0,0,North,0.35074762718133845,0.47830134586249906"]);

    const arrow = await exportFrom(table, "Table as Arrow");
    expect(arrow.name).toBe("drawscope-tidy-beta_groups_sigma.arrow");
    const fromArrow = tableFromIPC(arrow.bytes);
    expect(fromArrow.numRows).toBe(6400);
    expect(fromArrow.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(["chain: Uint8", "draw: Uint16", "groups: Dictionary<Int8, Utf8>", "beta: Float64", "sigma: Float64"]);
    expect(fromArrow.get(0)!.toJSON()).toEqual({ chain: 0, draw: 0, groups: "North", beta: 0.35074762718133845, sigma: 0.47830134586249906 });

    const parquet = await exportFrom(table, "Table as Parquet");
    expect(parquet.name).toBe("drawscope-tidy-beta_groups_sigma.parquet");
    const fromParquet = await parquetToTable(new Uint8Array(parquet.bytes));
    expect(fromParquet.numRows).toBe(6400);
    expect(fromParquet.schema.fields.map((f) => `${f.name}: ${String(f.type)} (${f.metadata.get("drawscope:role")})`)).toEqual([
      "chain: Uint8 (sample)",
      "draw: Uint16 (sample)",
      "groups: Dictionary<Int8, Utf8> (dim)",
      "beta: Float64 (value)",
      "sigma: Float64 (value)",
    ]);
    expect(fromParquet.get(6399)!.toJSON()).toEqual(fromArrow.get(6399)!.toJSON());
    expect(fromParquet.getChild("beta")!.toArray()).toEqual(fromArrow.getChild("beta")!.toArray());
  });

  test("in the dark theme, a figure with an HTML legend and a canvas exports with light text on the dark panel", async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: "dark" });
    const page = await context.newPage();
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const figure = page.getByRole("figure", { name: "Density of beta by groups and source: 8 curves in 4 facets" });
    await expect(figure).toBeVisible();
    const density = page.locator("section[data-kind=density]");
    // Plot returns a <figure> holding its swatch legend (HTML) and the SVG. A canvas laid over it
    // stands for panels that draw many points on canvas.
    const legend = await density.locator("figure.panel-figure > div > figure").evaluate((plot) => {
      (plot as HTMLElement).style.position = "relative";
      const canvas = document.createElement("canvas");
      canvas.width = 80;
      canvas.height = 60;
      canvas.style.cssText = "position: absolute; left: 100px; top: 50px; width: 40px; height: 30px";
      const context = canvas.getContext("2d")!;
      context.fillStyle = "rgb(255, 0, 255)";
      context.fillRect(0, 0, 80, 60);
      plot.append(canvas);
      const origin = plot.getBoundingClientRect();
      // The label's own text box (its span also holds the swatch).
      const words = document.createRange();
      words.selectNodeContents([...plot.querySelectorAll("span")].find((s) => s.textContent === "prior")!.lastChild!);
      const label = words.getBoundingClientRect();
      return { x: label.left - origin.left, y: label.top - origin.top };
    });
    const box = await figureBox(density);

    const svg = await exportFrom(density, "Figure as SVG");
    const text = svg.bytes.toString("utf8");
    writeFileSync(`${SHOTS}/exported-density-dark.svg`, text);
    const read = await readSvg(page, text);
    expect(read.error).toBeNull();
    expect(read.width).toBeCloseTo(box.width, 1);
    expect(read.height).toBeCloseTo(box.height, 1);
    expect(read.background).toBe(`rgb(${THEMES.dark.panel.join(", ")})`);
    expect(read.curves).toEqual(["North · posterior", "North · prior", "South · posterior", "South · prior", "East · posterior", "East · prior", "West · posterior", "West · prior"]);
    for (const label of ["posterior", "prior", ...GROUPS]) expect(read.texts).toContain(label);
    expect(read.images).toEqual([{ x: 100, y: 50, width: 40, height: 30, png: true }]);
    expect(text).not.toContain("currentColor");
    // The legend's "prior" sits where the page drew it: same left, base line within its line box.
    const prior = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const t = [...doc.querySelectorAll("text")].find((e) => e.textContent === "prior")!;
      return { x: Number(t.getAttribute("x")), y: Number(t.getAttribute("y")) };
    }, text);
    expect(prior.x).toBeCloseTo(legend.x, 0);
    expect(prior.y - legend.y).toBeGreaterThan(5);
    expect(prior.y - legend.y).toBeLessThan(16);
    expect(await standaloneTextFills(page, text, "export-density-dark.png")).toEqual([THEMES.dark.text]);

    const png = await exportFrom(density, "Figure as PNG");
    writeFileSync(`${SHOTS}/exported-density-dark.png`, png.bytes);
    const size = { width: Math.round(box.width * 2), height: Math.round(box.height * 2) };
    expect(pngSize(png.bytes)).toEqual(size);
    const decoded = await decodePng(
      page,
      png.bytes,
      [
        [2, size.height - 2],
        [240, 130],
      ],
      FIRST_COLOUR,
    );
    expect(decoded.colours).toEqual([
      [...THEMES.dark.panel, 255],
      [255, 0, 255, 255],
    ]);
    expect(decoded.matching).toBeGreaterThan(200);
    await context.close();
  });

  test("when Parquet cannot load, the panel says so and what to do, and the app goes on", async ({ page }) => {
    await page.route("**/*.wasm", (route) => (route.request().url().includes("parquet_wasm") ? route.abort("connectionrefused") : route.continue()));
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const table = page.locator("section[data-kind=table]");
    await table.getByRole("button", { name: "Export", exact: true }).click();
    await table.getByRole("button", { name: "Table as Parquet", exact: true }).click();
    const alert = table.getByRole("alert");
    await expect(alert).toContainText("Table as Parquet failed: the Parquet writer (parquet-wasm) did not load");
    await expect(alert).toContainText("Check the connection and try again, or export it as Arrow or CSV instead.");
    await expect(page.getByRole("alert")).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/export-parquet-failed.png` });

    await runQuery(page, "sigma");
    await expect(page.getByRole("figure", { name: "Density of sigma: 1 curve" })).toBeVisible();
    await page.unroute("**/*.wasm");
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await expect(alert).toHaveCount(0);
    const parquet = await exportFrom(table, "Table as Parquet");
    expect(parquet.name).toBe("drawscope-tidy-sigma.parquet");
    expect((await parquetToTable(new Uint8Array(parquet.bytes))).numRows).toBe(1600);
  });
});
