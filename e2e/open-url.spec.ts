// Open URL against real servers on another origin: what a server must allow (CORS, and range
// requests for a zip or a netCDF file), and what the user is told when it does not.
import { statSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { WHOLE_DOWNLOAD_LIMIT } from "../src/engine/store/http-ranges.ts";
import { startFixtureServer, type FixtureServer } from "../tests/fixture-server.ts";
import { expectBetaSigma, FIXTURES, openExample, runQuery } from "./helpers.ts";

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server for fixtures/ on `localhost`: another origin than the app's 127.0.0.1. */
async function serve(kind: { ranges: boolean; cors: boolean }): Promise<{ base: string; requests: string[] }> {
  server = await startFixtureServer(FIXTURES, { ...kind, largeBytes: WHOLE_DOWNLOAD_LIMIT + 1_000_000 });
  return { base: `http://localhost:${server.port}`, requests: server.requests };
}

async function openUrl(page: Page, url: string): Promise<void> {
  await page.getByRole("textbox", { name: "Store URL" }).fill(url);
  await page.getByRole("button", { name: "Open URL" }).click();
}

const notice = (page: Page) => page.getByRole("alert").filter({ hasText: "Could not open" });

test("a zip on another site with CORS and range requests opens by ranges, never downloaded whole", async ({ page }) => {
  const { base, requests } = await serve({ ranges: true, cors: true });
  await page.goto("/");
  await openUrl(page, `${base}/grouped_regression.zarr.zip`);
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("grouped_regression.zarr.zip");
  await expectBetaSigma(page);
  const gets = requests.filter((r) => r.startsWith("GET"));
  expect(gets.length).toBeGreaterThan(0);
  expect(gets.filter((r) => !/ bytes=\d+-\d+$/.test(r))).toEqual([]);
});

test("a small zip from a server without range requests is read from one whole download", async ({ page }) => {
  const { base, requests } = await serve({ ranges: false, cors: true });
  await page.goto("/");
  await openUrl(page, `${base}/grouped_regression.v3.zarr.zip`);
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("Zarr v3");
  await expectBetaSigma(page);
  expect(requests.filter((r) => r.startsWith("GET"))).toHaveLength(1);
});

test("a netCDF file on another site with range requests opens by ranges, reading the parts a query needs", async ({ page }) => {
  const { base, requests } = await serve({ ranges: true, cors: true });
  await page.goto("/");
  await openUrl(page, `${base}/grouped_regression.nc`);
  const browser = page.getByRole("navigation", { name: "Trace" });
  await expect(browser).toContainText("grouped_regression.nc");
  await expect(browser).toContainText("NetCDF-4");
  await expectBetaSigma(page);
  const gets = requests.filter((r) => r.startsWith("GET"));
  expect(gets.filter((r) => !/ bytes=\d+-\d+$/.test(r))).toEqual([]);
  // The 4×400×96 mu and the other large variables are never asked for.
  const asked = gets.reduce((sum, r) => {
    const [, start, end] = / bytes=(\d+)-(\d+)$/.exec(r)!;
    return sum + Number(end) - Number(start) + 1;
  }, 0);
  expect(asked).toBeLessThan(statSync(join(FIXTURES, "grouped_regression.nc")).size / 2);
});

test("a small netCDF file from a server without range requests is read from one download", async ({ page }) => {
  const { base, requests } = await serve({ ranges: false, cors: true });
  await page.goto("/");
  await openUrl(page, `${base}/arviz/centered_eight.nc`);
  await expect(page.getByRole("navigation", { name: "Trace" })).toContainText("centered_eight.nc");
  await runQuery(page, "theta[school]");
  await expect(page.getByRole("figure", { name: "Density of theta by school: 8 curves in 8 facets" })).toBeVisible();
  expect(requests.filter((r) => r.startsWith("GET"))).toHaveLength(1);
});

for (const [file, noun, instead] of [
  ["large.zip", "zip", "serve the unzipped Zarr folder instead, or download the zip and use Open file."],
  ["large.nc", "netCDF file", 'serve the trace as Zarr instead (idata.to_zarr("trace.zarr")), or download the file and use Open file.'],
]) {
  test(`a large ${noun} from a server without range requests is refused at once, saying why and what to do`, async ({ page }) => {
    const { base } = await serve({ ranges: false, cors: true });
    await openExample(page);
    await openUrl(page, `${base}/${file}`);
    const refused = notice(page);
    await expect(refused).toContainText(`${base}/${file} is 65 MB, and the server does not answer HTTP range requests: asked for `);
    await expect(refused).toContainText(
      `bytes, it sent the whole file. drawscope reads a ${noun} over HTTP by ranges and downloads it whole only up to 64 MB. ` +
        `Serve it from a server that supports range requests (Accept-Ranges: bytes), ${instead}`,
    );
    await expect(refused).toContainText("Still open: the example (grouped_regression.zarr.zip).");
    await refused.getByRole("button", { name: "Dismiss" }).click();
    await expectBetaSigma(page);
  });
}

test("a server on another site that does not allow this page (no CORS) is named as the likely cause", async ({ page }) => {
  const { base } = await serve({ ranges: true, cors: false });
  await openExample(page);
  await openUrl(page, `${base}/grouped_regression.zarr.zip`);
  await expect(notice(page)).toContainText(
    `cannot read the size of ${base}/grouped_regression.zarr.zip: Failed to fetch. Check the address and that the server is reachable; ` +
      "a server on another site must allow this page to read it (CORS).",
  );
  await notice(page).getByRole("button", { name: "Dismiss" }).click();
  await openUrl(page, `${base}/grouped_regression.zarr`);
  await expect(notice(page)).toContainText(`cannot read zarr.json of ${base}/grouped_regression.zarr: Failed to fetch.`);
  await expect(notice(page)).toContainText("must allow this page to read it (CORS)");
  await notice(page).getByRole("button", { name: "Dismiss" }).click();
  await expectBetaSigma(page);
});
