import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { expect, test, type Locator } from "@playwright/test";
import { splitByLabels } from "../src/engine/split.ts";
import { sortedDraws } from "../src/engine/stats/summary.ts";
import { openPath } from "../src/engine/store/node.ts";
import { dotQuantiles, layoutDots } from "../src/panels/dots/bins.ts";
import { asBytes, dims, sampleCoordinates, utf32, writeStoreFolder, zarray } from "../tests/memory-store.ts";
import { addPanel, fixture, openExample, openFolder, runQuery } from "./helpers.ts";

const GROUPS = ["North", "South", "East", "West"];

interface GoldenRow {
  groups: string;
  median: number;
  eti_lower: number;
  eti_upper: number;
}
interface GoldenCase {
  group: string;
  specs: string[];
  summary: GoldenRow[];
}
const cases = JSON.parse(readFileSync(fixture("grouped_regression.expected", "cases.json"), "utf8")) as GoldenCase[];
const golden = (group: string) => cases.find((c) => c.group === group && c.specs.join(", ") === (group === "prior" ? "beta[groups]" : "beta[groups], sigma"))!.summary;

/** 3 significant digits, as the panels label values. */
const three = (x: number) => String(Number(x.toPrecision(3)));
const REL = 1e-12;
const expectClose = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected));

interface Circle {
  label: string;
  cx: number;
  cy: number;
  r: number;
  data: Record<string, number>;
  /** The x scale applied to the circle's exact data-x or data-point value. */
  scaled: number;
}

/** The circles of a mark group, with their exact data attributes and where the plot's x scale puts them. */
async function circles(figure: Locator, description: string): Promise<Circle[]> {
  return figure.locator(`g[aria-description="${description}"]`).evaluate((g) => {
    const svg = (g as SVGElement).ownerSVGElement as SVGSVGElement & { scale(name: string): { apply(v: number): number } };
    return Array.from(g.querySelectorAll("circle"), (c) => {
      const data = Object.fromEntries(Object.entries(c.dataset).map(([k, v]) => [k, Number(v)]));
      return {
        label: c.getAttribute("aria-label") ?? "",
        cx: Number(c.getAttribute("cx")),
        cy: Number(c.getAttribute("cy")),
        r: Number(c.getAttribute("r")),
        data,
        scaled: svg.scale("x").apply(data.x ?? data.point),
      };
    });
  });
}

async function lines(figure: Locator, description: string) {
  return figure.locator(`g[aria-description="${description}"] line`).evaluateAll((ls) =>
    ls.map((l) => ({
      label: l.getAttribute("aria-label") ?? "",
      y: Number(l.getAttribute("y1")),
      lower: Number(l.getAttribute("data-lower")),
      upper: Number(l.getAttribute("data-upper")),
    })),
  );
}

const rowLabels = (figure: Locator) => figure.locator('g[aria-label="y-axis tick label"] text').allTextContents();

/**
 * What a scrolling row chart has drawn: its points and row labels, top to bottom, with their
 * vertical place in pixels below the top of its rows, and the part of the rows in view between
 * its sticky axes.
 */
async function drawnRows(body: Locator) {
  return body.evaluate((b) => {
    const rows = b.querySelector(".row-blocks")!.getBoundingClientRect().top;
    const top = b.querySelector('svg[aria-label="top x axis"]')!.getBoundingClientRect().bottom - rows;
    const bottom = b.querySelector('svg[aria-label="bottom x axis"]')!.getBoundingClientRect().top - rows;
    const points = Array.from(b.querySelectorAll('g[aria-description="points"] circle'), (c) => {
      const svg = (c as SVGElement).ownerSVGElement as SVGSVGElement & { scale(name: string): { apply(v: number): number } };
      const box = c.getBoundingClientRect();
      const point = Number(c.getAttribute("data-point"));
      return { label: c.getAttribute("aria-label") ?? "", point, centre: (box.top + box.bottom) / 2 - rows, cx: Number(c.getAttribute("cx")), scaled: svg.scale("x").apply(point) };
    });
    const labels = Array.from(b.querySelectorAll('g[aria-label="y-axis tick label"] text'), (t) => {
      const box = t.getBoundingClientRect();
      return { text: t.textContent ?? "", top: box.top - rows, bottom: box.bottom - rows };
    });
    return { view: { top, bottom }, points, labels };
  });
}

test.describe("interval panel", () => {
  test("a forest of the four groups: golden medians and 89% ETIs, sorting, a zero line", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const panel = await addPanel(page, "interval");
    const figure = panel.getByRole("figure", { name: "Intervals of beta by groups: 4 rows, median with 50% and 89% ETI" });
    await expect(figure).toBeVisible();
    expect(await rowLabels(figure)).toEqual(GROUPS);
    const want = golden("posterior");
    const points = await circles(figure, "points");
    expect(points.map((p) => p.label)).toEqual(want.map((g) => `${g.groups}: ${three(g.median)} [${three(g.eti_lower)}, ${three(g.eti_upper)}]`));
    points.forEach((p, i) => {
      expectClose(p.data.point, want[i].median);
      expect(Math.abs(p.cx - p.scaled)).toBeLessThan(0.01);
    });
    // Top to bottom in label order.
    expect(points.map((p) => p.cy)).toEqual([...points.map((p) => p.cy)].sort((a, b) => a - b));
    const outer = await lines(figure, "outer intervals");
    outer.forEach((l, i) => {
      expectClose(l.lower, want[i].eti_lower);
      expectClose(l.upper, want[i].eti_upper);
    });
    expect(outer.map((l) => l.label)).toEqual(want.map((g) => `${g.groups}: 89% [${three(g.eti_lower)}, ${three(g.eti_upper)}]`));
    const inner = await lines(figure, "inner intervals");
    expect(inner).toHaveLength(4);
    inner.forEach((l, i) => {
      expect(l.lower).toBeGreaterThan(outer[i].lower);
      expect(l.upper).toBeLessThan(outer[i].upper);
    });
    await expect(figure).toContainText("Point: median; thick line: 50% ETI, thin line: 89% ETI (equal-tailed intervals), from 1,600 draws per row. Rows in label order.");

    await panel.getByLabel("Sort").selectOption("ascending");
    await expect(figure).toContainText("Rows sorted by median, ascending.");
    expect(await rowLabels(figure)).toEqual(["West", "North", "South", "East"]);
    const sorted = await circles(figure, "points");
    expect(sorted.map((p) => p.label.split(":")[0])).toEqual(["West", "North", "South", "East"]);
    expect(sorted.map((p) => p.cy)).toEqual([...sorted.map((p) => p.cy)].sort((a, b) => a - b));
    await panel.getByLabel("Sort").selectOption("descending");
    await expect.poll(() => rowLabels(figure)).toEqual(["East", "South", "North", "West"]);

    await expect(figure.locator('g[aria-description="reference line"]')).toHaveCount(0);
    await panel.getByLabel("Reference").fill("0");
    await expect(figure).toContainText("Dashed line at 0.");
    const rule = figure.locator('g[aria-description="reference line"] line');
    await expect(rule).toHaveCount(1);
    const at = await rule.evaluate((l) => ({
      x: Number(l.getAttribute("x1")),
      zero: ((l as SVGElement).ownerSVGElement as unknown as { scale(n: string): { apply(v: number): number } }).scale("x").apply(0),
    }));
    expect(Math.abs(at.x - at.zero)).toBeLessThan(0.01);
    expect(page.url()).toContain("panel=interval;sort=descending;ref=0");
    await panel.screenshot({ path: "/tmp/forest-intervals.png" });

    // A scalar is one row, named after itself.
    await panel.getByRole("combobox", { name: /^Value/ }).selectOption("sigma");
    const sigma = panel.getByRole("figure", { name: "Intervals of sigma: 1 row, median with 50% and 89% ETI" });
    await expect(sigma).toBeVisible();
    const [s] = cases.find((c) => c.specs.join() === "sigma")!.summary;
    const [dot] = await circles(sigma, "points");
    expect(dot.label).toBe(`sigma: ${three(s.median)} [${three(s.eti_lower)}, ${three(s.eti_upper)}]`);
    expectClose(dot.data.point, s.median);
  });

  test("1,200 rows: one per label, drawn where the body is scrolled to, labels never overlap, the x axis in view", async ({ page }) => {
    const store = thousandSiteStore();
    try {
      await page.goto("/");
      await openFolder(page, store);
      await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("sites.zarr");
      await runQuery(page, "theta[site]");
      const panel = await addPanel(page, "interval");
      const figure = panel.getByRole("figure", { name: "Intervals of theta by site: 1,200 rows, median with 50% and 89% ETI" });
      await expect(figure).toBeVisible();
      const body = figure.getByRole("region", { name: "1,200 rows, scrolling" });
      const size = await body.evaluate((b) => ({ client: b.clientHeight, scroll: b.scrollHeight }));
      expect(size.client).toBeLessThanOrEqual(640);
      expect(size.scroll).toBeGreaterThan(1200 * 16);

      for (const at of [0, 0.5, 1]) {
        await body.evaluate((b, at) => b.scrollTo(0, at * (b.scrollHeight - b.clientHeight)), at);
        const { view, points, labels } = await drawnRows(body);
        const rows = points.map((p) => Number(/^site (\d{4}): /.exec(p.label)![1]));
        // The rows near the view, in order, one point each: the page does not hold all 1,200.
        expect(rows).toEqual(Array.from({ length: rows.length }, (_, k) => rows[0] + k));
        expect(rows.length).toBeLessThan(200);
        // Every row in view is drawn (row i spans 16 px from 8 + 16i below the top of the rows).
        expect(rows[0]).toBeLessThanOrEqual(Math.max(0, Math.floor((view.top - 8) / 16)));
        expect(rows.at(-1)).toBeGreaterThanOrEqual(Math.min(1199, Math.floor((view.bottom - 8) / 16)));
        points.forEach((p, k) => {
          const i = rows[k];
          // Site i's draws are i/100 plus a grid symmetric about 0: the median is i/100.
          expect(Math.abs(p.point - i / 100)).toBeLessThan(1e-9);
          expect(Math.abs(p.centre - (8 + 16 * i + 8))).toBeLessThan(1);
          expect(Math.abs(p.cx - p.scaled)).toBeLessThan(0.01);
        });
        // Each drawn row's label beside its point, none overlapping the next.
        expect(labels.map((l) => l.text)).toEqual(rows.map((i) => `site ${String(i).padStart(4, "0")}`));
        labels.forEach((l, k) => expect(Math.abs((l.top + l.bottom) / 2 - points[k].centre)).toBeLessThan(2));
        for (let k = 1; k < labels.length; k++) expect(labels[k].top).toBeGreaterThanOrEqual(labels[k - 1].bottom);
        expect(Math.min(...labels.map((l) => l.bottom - l.top))).toBeGreaterThan(8);
      }
      expect((await drawnRows(body)).points.at(-1)!.label.startsWith("site 1199: ")).toBe(true);

      await body.evaluate((b) => b.scrollTo(0, b.scrollHeight / 2));
      const inView = await body.evaluate((b) => {
        const box = b.getBoundingClientRect();
        const axis = (name: string) => b.querySelector(`svg[aria-label="${name}"]`)!.getBoundingClientRect();
        const top = axis("top x axis");
        const bottom = axis("bottom x axis");
        return { top: top.top - box.top, bottom: box.bottom - bottom.bottom, scrolled: b.scrollTop };
      });
      expect(inView.scrolled).toBeGreaterThan(5000);
      expect(Math.abs(inView.top)).toBeLessThan(1);
      expect(Math.abs(inView.bottom)).toBeLessThan(1);
      await panel.screenshot({ path: "/tmp/forest-1200.png" });

      // The SVG export holds every row, not only those scrolled into view, and the view stays put.
      await panel.getByRole("button", { name: "Export", exact: true }).click();
      const download = page.waitForEvent("download");
      await panel.getByRole("button", { name: "Figure as SVG", exact: true }).click();
      const svg = readFileSync((await (await download).path())!, "utf8");
      expect(Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)![1])).toBeGreaterThan(1200 * 16);
      expect(new Set(svg.match(/>site \d{4}</g))).toHaveProperty("size", 1200);
      expect(svg.match(/<circle[^>]* aria-label="site \d{4}: /g)).toHaveLength(1200);
      expect(await body.evaluate((b) => b.scrollTop)).toBe(inView.scrolled);
      expect((await drawnRows(body)).points.length).toBeLessThan(200);
    } finally {
      rmSync(dirname(store), { recursive: true, force: true });
    }
  });
});

test.describe("quantile dots", () => {
  test("100 dots per group at the quantiles (i − 0.5)/100, in bins that never overlap", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const panel = await addPanel(page, "dots");
    const figure = panel.getByRole("figure", { name: "Quantile dots of beta by groups: 100 dots in each of 4 rows" });
    await expect(figure).toBeVisible();
    expect(await rowLabels(figure)).toEqual(GROUPS);
    const trace = await openPath(fixture("grouped_regression.zarr"));
    const { groups } = splitByLabels(await trace.extract(["beta[groups]", "sigma"]), "beta", ["groups"]);
    const binWidth = Number(await figure.locator('g[aria-description="quantile dots"]').getAttribute("data-bin-width"));
    expect(binWidth).toBeGreaterThan(0);
    const dots = await circles(figure, "quantile dots");
    expect(dots).toHaveLength(400);
    const rowTops = await figure.locator('g[aria-description="quantile dots"]').evaluate((g) => {
      const svg = (g as SVGElement).ownerSVGElement as SVGSVGElement & { scale(name: string): { apply(v: number): number } };
      return [0, 1, 2, 3, 4].map((i) => svg.scale("y").apply(i - 0.5));
    });
    GROUPS.forEach((group, row) => {
      const mine = dots.filter((d) => d.label.startsWith(`${group}: `));
      expect(mine).toHaveLength(100);
      const { probs, values } = dotQuantiles(sortedDraws(groups[row].values), 100);
      const layout = layoutDots(values, binWidth);
      mine.forEach((d, k) => {
        expect(d.data.prob).toBe(probs[k]);
        expect(d.data.quantile).toBe(values[k]);
        // Each dot sits at its bin's position, drawn where the x scale puts that position.
        expect(d.data.x).toBe(layout.x[k]);
        expect(Math.abs(d.cx - d.scaled)).toBeLessThan(0.01);
        // Every stack fits its row.
        expect(d.cy - d.r).toBeGreaterThanOrEqual(rowTops[row]);
        expect(d.cy + d.r).toBeLessThanOrEqual(rowTops[row + 1]);
      });
      // No two dots overlap: the closest pair is at least two radii apart.
      let closest = Infinity;
      for (let a = 0; a < mine.length; a++) {
        for (let b = a + 1; b < mine.length; b++) closest = Math.min(closest, Math.hypot(mine[a].cx - mine[b].cx, mine[a].cy - mine[b].cy) - mine[a].r - mine[b].r);
      }
      expect(closest).toBeGreaterThanOrEqual(0);
    });
    await panel.screenshot({ path: "/tmp/forest-dots.png" });

    await panel.getByLabel("Dots per row").fill("20");
    await expect(panel.getByRole("figure", { name: "Quantile dots of beta by groups: 20 dots in each of 4 rows" })).toBeVisible();
    expect(await circles(panel.locator("figure"), "quantile dots")).toHaveLength(80);
  });
});

test.describe("prior vs posterior", () => {
  test("without the prior it says how to add it; with it, both densities per group and intervals dodged by source", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    const panel = await addPanel(page, "prior");
    const alone = panel.getByRole("figure", { name: "Prior vs posterior of beta by groups: 1 source in 4 facets" });
    await expect(alone).toContainText('pick both posterior and prior in "Groups to read from"');

    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const figure = panel.getByRole("figure", { name: "Prior vs posterior of beta by groups: 2 sources in 4 facets" });
    await expect(figure).toBeVisible();
    await expect(figure).not.toContainText("Groups to read from");
    await expect(figure.locator('svg[aria-description="prior vs posterior facet"]')).toHaveCount(4);
    expect(await figure.locator('svg[aria-description="prior vs posterior facet"]').evaluateAll((s) => s.map((e) => e.getAttribute("aria-label")))).toEqual(GROUPS);
    const curves = await figure.locator('g[aria-description="density curves"] path').evaluateAll((ps) => ps.map((p) => p.getAttribute("aria-label")));
    expect(curves).toEqual(GROUPS.flatMap((g) => [`${g} · posterior`, `${g} · prior`]));
    const outer = await lines(figure, "outer intervals");
    expect(outer.map((l) => l.label.split(":")[0])).toEqual(GROUPS.flatMap((g) => [`${g} · posterior`, `${g} · prior`]));
    const post = golden("posterior");
    const prior = golden("prior");
    GROUPS.forEach((_, i) => {
      const [p, q] = [outer[2 * i], outer[2 * i + 1]];
      expectClose(p.lower, post[i].eti_lower);
      expectClose(p.upper, post[i].eti_upper);
      expectClose(q.lower, prior[i].eti_lower);
      expectClose(q.upper, prior[i].eti_upper);
      // Dodged: the posterior's line just under the curves, the prior's below it.
      expect(q.y - p.y).toBeGreaterThan(8);
    });
    // The posterior stays readable beside the far wider prior: each curve reaches its own peak.
    const heights = await figure.locator('g[aria-description="density curves"] path').evaluateAll((ps) =>
      ps.map((p) => {
        const { width, height } = (p as SVGPathElement).getBBox();
        return { width, height };
      }),
    );
    for (let i = 0; i < 8; i += 2) {
      expect(Math.abs(heights[i].height - heights[i + 1].height)).toBeLessThan(3);
      expect(heights[i].width).toBeGreaterThan(10);
    }
    await expect(figure).toContainText("Each curve is scaled to its own peak");
    await panel.screenshot({ path: "/tmp/forest-prior.png" });

    // The interval panel dodges the same two sources within each group's row.
    const intervals = await addPanel(page, "interval");
    const dodged = intervals.getByRole("figure", { name: "Intervals of beta by groups and source: 8 intervals in 4 rows, median with 50% and 89% ETI" });
    await expect(dodged).toBeVisible();
    const points = await circles(dodged, "points");
    expect(points.map((p) => p.label.split(":")[0])).toEqual(GROUPS.flatMap((g) => [`${g} · posterior`, `${g} · prior`]));
    for (let i = 0; i < 8; i += 2) expect(points[i + 1].cy - points[i].cy).toBeGreaterThan(6);
    await intervals.screenshot({ path: "/tmp/forest-dodged.png" });
  });
});

test.describe("summary panels in the worker", () => {
  test("a resize or a draw-only option redraws what the worker computed; a data option asks it again", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "beta[groups]");
    await page.getByRole("group", { name: "Groups to read from" }).getByRole("button", { name: "prior", exact: true }).click();
    const interval = await addPanel(page, "interval");
    const dots = await addPanel(page, "dots");
    const prior = await addPanel(page, "prior");
    const computations = (panel: Locator) => panel.locator("figure.panel-figure").getAttribute("data-computations");
    // The widest of the figure's SVGs (legend swatches are SVGs too).
    const svgWidth = (panel: Locator) => panel.locator("figure svg").evaluateAll((svgs) => Math.max(...svgs.map((s) => Number(s.getAttribute("width")))));
    await expect(interval.getByRole("figure", { name: /^Intervals of beta by groups and source: 8 intervals in 4 rows/ })).toBeVisible();
    await expect(dots.getByRole("figure", { name: "Quantile dots of beta by groups and source: 100 dots in each of 8 rows" })).toBeVisible();
    await expect(prior.getByRole("figure", { name: "Prior vs posterior of beta by groups: 2 sources in 4 facets" })).toBeVisible();
    const before = await Promise.all([interval, dots, prior].map(computations));
    const widths = await Promise.all([interval, dots, prior].map(svgWidth));

    await interval.getByLabel("Sort").selectOption("descending");
    await expect.poll(() => rowLabels(interval.locator("figure"))).toEqual(["East", "South", "North", "West"]);
    await interval.getByLabel("Reference").fill("0");
    await expect(interval.locator('g[aria-description="reference line"] line')).toHaveCount(1);
    await dots.getByLabel("Reference").fill("0");
    await expect(dots.locator("figure")).toContainText("Dashed line at 0.");
    await prior.getByLabel("Heights").selectOption("density");
    await expect(prior.locator("figure")).toContainText("Curves are true densities, on one scale per facet.");
    await prior.getByLabel("x range").selectOption("posterior");
    await expect(prior.locator("figure")).toContainText("Each facet's x axis spans the posterior's central 99%");
    await page.setViewportSize({ width: 900, height: 900 });
    for (const [i, panel] of [interval, dots, prior].entries()) await expect.poll(() => svgWidth(panel)).not.toBe(widths[i]);
    expect(await Promise.all([interval, dots, prior].map(computations))).toEqual(before);
    for (const [name, panel] of Object.entries({ interval, dots, prior })) await panel.screenshot({ path: `/tmp/redrawn-${name}.png` });

    await interval.getByRole("combobox", { name: "Interval", exact: true }).selectOption("hdi");
    await expect(interval.getByRole("figure", { name: /median with 50% and 89% HDI$/ })).toBeVisible();
    expect(await computations(interval)).toBe(String(Number(before[0]) + 1));
  });
});

/**
 * A Zarr v2 trace with theta[site] over 1,200 sites (labels "site 0000"…): 2 chains × 50 draws,
 * site i's draws being i/100 plus an evenly spaced grid symmetric about 0.
 */
function thousandSiteStore(): string {
  const sites = 1200;
  return writeStoreFolder("sites.zarr", {
    ".zgroup": { zarr_format: 2 },
    "posterior/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("posterior", 2, 50),
    "posterior/site/.zarray": zarray("<U9", [sites], [sites]),
    "posterior/site/.zattrs": dims("site"),
    "posterior/site/0": utf32(
      Array.from({ length: sites }, (_, i) => `site ${String(i).padStart(4, "0")}`),
      9,
    ),
    "posterior/theta/.zarray": zarray("<f8", [2, 50, sites], [2, 50, sites]),
    "posterior/theta/.zattrs": dims("chain", "draw", "site"),
    "posterior/theta/0.0.0": asBytes(
      Float64Array.from({ length: 2 * 50 * sites }, (_, k) => {
        const site = k % sites;
        const draw = Math.floor(k / sites);
        return site / 100 + (draw / 99 - 0.5) * (1 + (site % 7) / 10);
      }),
    ),
  });
}
