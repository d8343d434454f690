import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { CHAINS, DIVERGENT_DRAWS, DRAWS, PARAMS, writeGeneratedStore } from "./generated-store.ts";
import { addPanel, fixture, openExample, openFolder, runQuery } from "./helpers.ts";

const SHOTS = process.env.DRAWSCOPE_E2E_OUTPUT ?? "test-results";

/** Replace the default panels with one pairs panel and return it. */
async function pairsPanel(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Remove Density panel" }).click();
  await page.getByRole("button", { name: "Remove Table panel" }).click();
  return addPanel(page, "pairs");
}

const select = (panel: Locator, name: string) => panel.getByRole("combobox", { name, exact: true });

/** Divergent draws in a fixture, counted by the CLI (rows of `sample_stats/diverging` that are not 0 or false). */
function divergentDraws(store: string): number {
  const csv = execFileSync("node", ["--import", "tsx", "src/cli/draws.ts", store, "sample_stats/diverging"], { encoding: "utf8" });
  return csv
    .trim()
    .split("\n")
    .slice(1)
    .filter((line) => !["0", "false"].includes(line.split(",").at(-1)!)).length;
}

test.describe("pairs panel", () => {
  test("beta by group, jittered, coloured by each draw's sigma (seed plot 5)", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const panel = await pairsPanel(page);
    await select(panel, "x").selectOption("beta");
    await select(panel, "y").selectOption("groups");
    await select(panel, "Colour by").selectOption("sigma");
    const figure = page.getByRole("figure", { name: "Pairs of beta and groups: 6,400 points, coloured by sigma" });
    await expect(figure).toBeVisible();
    // 6,400 points are few enough for SVG dots, one per draw and group.
    await expect(figure.locator('g[aria-description="points"] circle')).toHaveCount(6400);
    await expect(figure.locator(".pairs-figure")).toHaveAttribute("data-drawn", "svg");
    await expect(figure.locator('g[aria-label="y-axis tick label"] text')).toHaveText(["West", "East", "South", "North"]);
    // A continuous legend: a ramp labelled sigma, and the dots take many colours along it.
    const ramp = figure.locator(".pairs-legend svg");
    await expect(ramp).toContainText("sigma");
    await expect(ramp.locator("image, rect")).not.toHaveCount(0);
    const fills = await figure.locator('g[aria-description="points"] circle').evaluateAll((cs) => new Set(cs.map((c) => c.getAttribute("fill"))).size);
    expect(fills).toBeGreaterThan(100);
    // Jitter spreads each group's dots over 60% of its band: four clusters of many distinct heights,
    // with empty gaps (40% of a band) between them.
    const bands = await figure.locator('g[aria-description="points"] circle').evaluateAll((cs) => {
      const ys = cs.map((c) => Number(c.getAttribute("cy"))).sort((a, b) => a - b);
      const band = (ys.at(-1)! - ys[0]) / 3.6;
      return { gaps: ys.filter((y, i) => i > 0 && y - ys[i - 1] > band / 4).length, distinct: new Set(ys.map((y) => Math.round(y))).size };
    });
    expect(bands.gaps).toBe(3);
    expect(bands.distinct).toBeGreaterThan(100);
    await expect(figure).toContainText("Levels of groups jittered over 60% of the space between them.");
    await expect(figure).toContainText("Add sample_stats/diverging to the query to mark divergent draws.");
    await figure.screenshot({ path: join(SHOTS, "pairs-seed5.png") });
  });

  test("sigma against beta with each group's 2-D density contours (seed plot 8)", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const panel = await pairsPanel(page);
    // Defaults: the first two number columns, coloured by the dimension.
    await expect(select(panel, "x")).toHaveValue("");
    await expect(page.getByRole("figure", { name: "Pairs of beta and sigma: 6,400 points, coloured by groups" })).toBeVisible();
    await select(panel, "x").selectOption("sigma");
    await select(panel, "y").selectOption("beta");
    await panel.getByRole("checkbox", { name: "Contours" }).check();
    const figure = page.getByRole("figure", { name: "Pairs of sigma and beta: 6,400 points, coloured by groups" });
    await expect(figure).toBeVisible();
    // One set of 50/80/95% contours per group, each a closed line in the group's colour.
    for (const share of ["50%", "80%", "95%"]) {
      const lines = figure.locator(`g[aria-description="contours ${share}"]`);
      await expect(lines).toHaveCount(4);
      await expect(lines.locator("path")).not.toHaveCount(0);
    }
    // Plot's categorical scheme (observable10) in the groups' order, as in the legend.
    const strokes = await figure.locator('g[aria-description="contours 50%"] > g').evaluateAll((gs) => gs.map((g) => g.getAttribute("stroke")));
    expect(strokes).toEqual(["#4269d0", "#efb118", "#ff725c", "#6cc5b0"]);
    await expect(figure).toContainText("Contours enclose 50%, 80% and 95% of each group's 2-D Gaussian KDE");
    await expect(figure.locator(".pairs-legend")).toContainText("groupsNorthSouthEastWest");
    await figure.screenshot({ path: join(SHOTS, "pairs-seed8.png") });
  });

  test("a scatter matrix of three columns: scatters below the diagonal, densities on it", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "intercept[groups], beta[groups], sigma");
    const panel = await pairsPanel(page);
    await select(panel, "Layout").selectOption("matrix");
    const figure = page.getByRole("figure", { name: "Scatter matrix of intercept, beta and sigma: 6,400 rows, coloured by groups" });
    await expect(figure).toBeVisible();
    expect(await figure.locator("svg.pairs-scatter").evaluateAll((s) => s.map((e) => e.getAttribute("aria-label")))).toEqual([
      "beta against intercept",
      "sigma against intercept",
      "sigma against beta",
    ]);
    expect(await figure.locator("svg.pairs-diagonal").evaluateAll((s) => s.map((e) => e.getAttribute("aria-label")))).toEqual(["density of intercept", "density of beta", "density of sigma"]);
    // 3 scatters × 6,400 points is beyond SVG dots: one canvas under the grid holds them.
    await expect(figure.locator(".pairs-figure")).toHaveAttribute("data-drawn", "canvas");
    const painted = await figure.locator("canvas").evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(3000);
    // Each diagonal has one density per group.
    await expect(figure.locator("svg.pairs-diagonal").first().locator('g[aria-label="line"] path')).toHaveCount(4);
    await figure.screenshot({ path: join(SHOTS, "pairs-matrix.png") });

    // Seven number columns: the first six fit, and the caption names the one left out.
    await runQuery(page, "intercept[groups], beta[groups], sigma, sample_stats/energy, sample_stats/lp, sample_stats/acceptance_rate, sample_stats/tree_depth");
    const six = page.getByRole("figure", { name: "Scatter matrix of intercept, beta, sigma, energy, lp and acceptance_rate: 6,400 rows, coloured by groups" });
    await expect(six).toBeVisible();
    await expect(six.locator("svg.pairs-scatter")).toHaveCount(15);
    await expect(six.locator("svg.pairs-diagonal")).toHaveCount(6);
    await expect(six).toContainText("1 more number column left out (tree_depth): at most 6 fit.");
  });

  test("divergent draws of the centered eight schools are drawn on top and counted", async ({ page }) => {
    const store = fixture("arviz", "centered_eight.zarr");
    const expected = divergentDraws(store);
    expect(expected).toBeGreaterThan(0);
    await page.goto("/");
    await openFolder(page, store);
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight");
    await runQuery(page, "mu, tau, sample_stats/diverging");
    const panel = await pairsPanel(page);
    const figure = page.getByRole("figure", { name: "Pairs of mu and tau: 2,000 points" });
    await expect(figure).toBeVisible();
    await expect(figure).toContainText(`${expected} divergent draws drawn on top in magenta.`);
    const divergent = figure.locator('g[aria-description="divergent draws"] circle');
    await expect(divergent).toHaveCount(expected);
    await expect(figure.locator('g[aria-description="divergent draws"] > g')).toHaveAttribute("fill", "#e6007e");
    // Drawn last: the divergent dots come after every other point in the SVG.
    const order = await figure.locator("svg g[aria-description]").evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-description")));
    expect(order).toEqual(["points", "divergent draws"]);
    await expect(figure.locator(".pairs-legend")).toContainText(`divergent (${expected} draws)`);
    await figure.screenshot({ path: join(SHOTS, "pairs-divergences.png") });

    // The keyboard zooms (+) and resets (0) too.
    const ticks = figure.locator('g[aria-label="x-axis tick label"] text');
    const home = await ticks.allTextContents();
    await figure.getByRole("application").press("+");
    await expect.poll(() => ticks.allTextContents()).not.toEqual(home);
    await figure.getByRole("application").press("0");
    await expect.poll(() => ticks.allTextContents()).toEqual(home);

    // Two scalars against each other with their 2-D density contours (seed plot 8), one set in the text colour.
    await panel.getByRole("checkbox", { name: "Contours" }).check();
    await expect(figure).toContainText("Contours enclose 50%, 80% and 95% of the 2-D Gaussian KDE");
    for (const share of ["50%", "80%", "95%"]) await expect(figure.locator(`g[aria-description="contours ${share}"] > g`)).toHaveAttribute("stroke", "currentColor");
    await expect(figure.locator('g[aria-description="contours 50%"] path')).not.toHaveCount(0);
    // Contours sit under the divergent draws, which stay last.
    const layers = await figure.locator("svg g[aria-description]").evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-description")));
    expect(layers).toEqual(["points", "contours 50%", "contours 80%", "contours 95%", "divergent draws"]);
    await figure.screenshot({ path: join(SHOTS, "pairs-mu-tau-contours.png") });
  });
});

test.describe("pairs panel on 400,000 points", () => {
  let store = "";
  test.beforeAll(() => {
    store = writeGeneratedStore();
  });
  test.afterAll(() => {
    if (store) rmSync(dirname(store), { recursive: true, force: true });
  });

  test("draws on a canvas and pans and zooms in well under 100 ms a frame", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/");
    await openFolder(page, store);
    await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("pairs400k.zarr");
    await runQuery(page, "a[param], b[param], sample_stats/diverging");
    await pairsPanel(page);
    const rows = CHAINS * DRAWS * PARAMS;
    const figure = page.getByRole("figure", { name: `Pairs of a and b: ${rows.toLocaleString("en-US")} points, coloured by param` });
    await expect(figure).toBeVisible({ timeout: 30_000 });
    const node = figure.locator(".pairs-figure");
    await expect(node).toHaveAttribute("data-drawn", "canvas");
    await expect(node).toHaveAttribute("data-points", String(rows));
    await expect(figure).toContainText(`${DIVERGENT_DRAWS.length} divergent draws (${DIVERGENT_DRAWS.length * PARAMS} points) drawn on top in magenta.`);
    // Over a canvas, the divergent points are stamped on it last rather than redrawn as SVG every frame.
    await expect(node).toHaveAttribute("data-divergent", String(DIVERGENT_DRAWS.length * PARAMS));
    await expect(figure.locator('g[aria-description="divergent draws"]')).toHaveCount(0);

    const canvas = figure.locator("canvas");
    const box = (await canvas.boundingBox())!;
    // Record, for every wheel or pointer move, the time from the event to the frame after its redraw.
    await page.evaluate(() => {
      const w = window as unknown as { latencies: number[] };
      w.latencies = [];
      const record = (event: Event) => requestAnimationFrame(() => requestAnimationFrame(() => w.latencies.push(performance.now() - event.timeStamp)));
      window.addEventListener("wheel", record);
      window.addEventListener("pointermove", (e) => (e.buttons ? record(e) : undefined));
    });
    const ticksBefore = await figure.locator('g[aria-label="x-axis tick label"] text').allTextContents();
    const frames = async () => Number((await node.getAttribute("data-frames")) ?? 0);
    const work: number[] = [];
    const settle = async (count: number) => {
      await expect.poll(frames).toBe(count);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      work.push(Number(await node.getAttribute("data-frame-ms")));
    };
    let count = 0;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
    for (let i = 0; i < 20; i++) {
      await page.mouse.wheel(0, i < 12 ? -120 : 100);
      await settle(++count);
    }
    const zoomedTicks = await figure.locator('g[aria-label="x-axis tick label"] text').allTextContents();
    expect(zoomedTicks).not.toEqual(ticksBefore);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(box.x + box.width * 0.4 + i * 8, box.y + box.height * 0.5 + i * 3);
      await settle(++count);
    }
    await page.mouse.up();
    expect(await figure.locator('g[aria-label="x-axis tick label"] text').allTextContents()).not.toEqual(zoomedTicks);
    await figure.screenshot({ path: join(SHOTS, "pairs-400k-panned.png") });
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => figure.locator('g[aria-label="x-axis tick label"] text').allTextContents()).toEqual(ticksBefore);

    mkdirSync(SHOTS, { recursive: true });
    const latencies = await page.evaluate(() => (window as unknown as { latencies: number[] }).latencies);
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const summary = {
      redrawMedian: median(work),
      redrawMax: Math.max(...work),
      latencyMedian: median(latencies),
      latencyP90: [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.9)],
      latencyMax: Math.max(...latencies),
      frames: latencies.length,
    };
    test.info().annotations.push({ type: "frame times (ms)", description: JSON.stringify(summary) });
    writeFileSync(join(SHOTS, "pairs-frame-times.json"), JSON.stringify({ summary, latencies, work }, null, 1));
    expect(latencies.length).toBe(40);
    expect(summary.latencyMedian).toBeLessThan(100);
    expect(summary.redrawMedian).toBeLessThan(100);
    await figure.screenshot({ path: join(SHOTS, "pairs-400k.png") });
  });
});
