import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { fixture, openExample, runQuery } from "./helpers.ts";

/** Case 3 of the golden tables: posterior mu[obs_ind], 153,600 rows in chain, draw, obs_ind order. */
const golden = gunzipSync(readFileSync(fixture("grouped_regression.expected", "case03.csv.gz")))
  .toString("utf8")
  .trim()
  .split("\n")
  .map((line) => line.split(","));
const [header, ...rows] = golden;

/** A golden row as the table panel shows it: labels as they are, values to six significant digits. */
const shown = (row: string[]) => header.map((name, k) => (name === "mu" ? String(Number(Number(row[k]).toPrecision(6))) : row[k]));

test.describe("the table panel pages rows from the worker", () => {
  test("scrolling to any place shows those rows of the table, and the page only ever holds a few", async ({ page }) => {
    await openExample(page);
    await runQuery(page, "mu[obs_ind]");
    const figure = page.getByRole("figure", { name: "Tidy table of mu[obs_ind]: 153,600 rows, 4 columns" });
    await expect(figure).toBeVisible();
    const body = figure.locator("tbody tr");
    await expect(body).toHaveCount(20);
    await expect(body.first().locator("td")).toHaveText(shown(rows[0]));
    await expect(figure.getByRole("status")).toHaveText("Rows 1–20 of 153,600");

    const viewport = figure.getByLabel(/^Rows of the table/);
    await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(figure.getByRole("status")).toHaveText("Rows 153,581–153,600 of 153,600");
    await expect(body.last().locator("th")).toHaveText("153,600");
    await expect(body.last().locator("td")).toHaveText(shown(rows[153_599]));
    await expect(body.first().locator("td")).toHaveText(shown(rows[153_580]));

    // The middle: row 76,801 (1-based) is the first of chain 2.
    const height = await viewport.evaluate((el) => el.scrollHeight - el.clientHeight);
    await viewport.evaluate((el, top) => (el.scrollTop = top), Math.round(height / 2));
    await expect(figure.getByRole("status")).toHaveText(/^Rows 76,\d{3}–76,\d{3} of 153,600$/);
    // The rows follow the status within a frame: read the first one's number once it is there.
    await expect(body.first().locator("th")).toHaveText(/^76,\d{3}$/);
    const first = Number((await body.first().locator("th").textContent())!.replace(/,/g, ""));
    await expect(body.nth(5).locator("td")).toHaveText(shown(rows[first - 1 + 5]));

    // Keyboard users page through it too.
    await viewport.evaluate((el) => (el.scrollTop = 0));
    await expect(figure.getByRole("status")).toHaveText("Rows 1–20 of 153,600");
    await viewport.focus();
    await page.keyboard.press("PageDown");
    await expect(figure.getByRole("status")).not.toHaveText("Rows 1–20 of 153,600");
    await page.screenshot({ path: test.info().outputPath("table-paged.png") });
  });

  test("resizing redraws a panel without computing its data again; a drawing option does not ask the worker either", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openExample(page);
    await runQuery(page, "beta[groups], sigma");
    const density = page.locator("section[data-kind=density] figure.panel-figure");
    await expect(density).toHaveAttribute("aria-label", "Density of beta by groups: 4 curves in 4 facets");
    const computations = await density.getAttribute("data-computations");
    const widthOf = () =>
      density
        .locator("svg")
        .first()
        .evaluate((svg) => svg.getBoundingClientRect().width);
    const wide = await widthOf();

    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(widthOf).toBeLessThan(wide - 100);
    await expect(density).toHaveAttribute("data-computations", computations!);
    await expect(density).toHaveAttribute("aria-label", "Density of beta by groups: 4 curves in 4 facets");

    // Fill and the reference line only change the drawing.
    const panel = page.locator("section[data-kind=density]");
    await panel.getByLabel("Fill").uncheck();
    await panel.getByLabel("Reference").fill("0.4");
    await expect(density.locator('[aria-description="reference line"]')).toHaveCount(1);
    await expect(density.locator("figcaption")).toContainText("Reference line at 0.4");
    await expect(density).toHaveAttribute("data-computations", computations!);

    // The bandwidth changes the curves: the worker computes them again.
    await panel.getByLabel("Bandwidth ×").fill("2");
    await expect(density).not.toHaveAttribute("data-computations", computations!);
    await expect(density.locator("figcaption")).toContainText("(× 2)");
  });
});
