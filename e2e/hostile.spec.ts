// Malformed stores of the catalogue (tests/hostile-catalogue.ts) opened in the app as a user would
// (Open folder): each gets its named error within a second of being handed over, the page throws
// nothing, the trace open before stays open, and a good trace opens and draws after them all.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect, test } from "@playwright/test";
import { CATALOGUE, writeCase } from "../tests/hostile-catalogue.ts";
import { zipOf } from "../tests/zip-writer.ts";
import { expectBetaSigma, openExample, openFile, openFolder } from "./helpers.ts";

const SHOWN = [
  "dim-of-1e12",
  "grid-of-1e6",
  "chunk-zero",
  "shape-negative",
  "shape-string",
  "names-too-many",
  "coordinate-longer",
  "variables-disagree",
  "root-is-array",
  "dtype-complex",
  "chunk-truncated",
  "blosc-bomb",
  "zstd-bomb",
  "gzip-bomb",
  "blosc-lying-length",
  "shard-index-past-end",
  "zip-metadata-lies",
  "zip-chunk-bomb",
];

test("malformed stores of every kind each get their named error within a second, and the app stays usable", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-hostile-e2e-"));
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await openExample(page);
    let current = "grouped_regression.zarr.zip";
    for (const name of SHOWN) {
      const entry = CATALOGUE.find((c) => c.name === name)!;
      const store = writeCase(dir, entry);
      const start = Date.now();
      await (entry.zipped ? openFile(page, store) : openFolder(page, store));
      // The message as the engine words it, without the ^ and $ of the CLI's single line.
      const text = new RegExp(entry.error.source.replace(/^\^/, "").replace(/\$$/, ""));
      const alert = page.getByRole("alert").filter({ hasText: text });
      await expect(alert, name).toBeVisible();
      expect(Date.now() - start, name).toBeLessThan(1000);
      // Damaged metadata is refused on opening: the trace before stays open. A damaged chunk is
      // met by the first query: the trace opened, the query's error is shown, nothing is drawn.
      const opened = ["chunk 0", "entry posterior", "of shard"].some((part) => entry.error.source.includes(part));
      if (opened) current = basename(store);
      await expect(page.getByRole("navigation", { name: "Trace" }), name).toContainText(current);
      if (opened) await expect(page.locator("section[data-kind=density] figure.panel-figure svg"), name).toHaveCount(0);
      else await alert.getByRole("button", { name: "Dismiss" }).click();
    }
    expect(errors).toEqual([]);
    await openExample(page);
    await expectBetaSigma(page);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A zip of a trace whose posterior holds `count` scalar variables v0 … v{count-1} (consolidated metadata), each of 2 chains × 10 draws of its own index. */
function wideTrace(count: number): Uint8Array {
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const zarray = (shape: number[], dtype: string) => ({ zarr_format: 2, shape, chunks: shape, dtype, compressor: null, fill_value: null, filters: null, order: "C" });
  const metadata: Record<string, unknown> = { ".zgroup": { zarr_format: 2 }, "posterior/.zgroup": { zarr_format: 2 }, "posterior/.zattrs": {} };
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    metadata[`posterior/v${i}/.zarray`] = zarray([2, 10], "<f8");
    metadata[`posterior/v${i}/.zattrs`] = { _ARRAY_DIMENSIONS: ["chain", "draw"] };
    files[`posterior/v${i}/0.0`] = new Uint8Array(new Float64Array(20).fill(i).buffer);
  }
  return zipOf({ ".zgroup": json({ zarr_format: 2 }), ".zmetadata": json({ zarr_consolidated_format: 1, metadata }), ...files }, "store");
}

test("a group of 20,000 variables lists 200 of them with a filter for the rest", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "drawscope-wide-e2e-"));
  try {
    const path = join(dir, "wide.zarr.zip");
    writeFileSync(path, wideTrace(20_000));
    await openExample(page);
    await openFile(page, path);
    const browser = page.getByRole("navigation", { name: "Trace" });
    await expect(browser).toContainText("wide.zarr.zip");
    const variables = browser.locator("button.variable");
    await expect(variables).toHaveCount(200);
    await expect(variables.first()).toHaveText(/^v0\s/);
    await expect(browser).toContainText("19,800 more variables: type part of a name to narrow the list");
    await browser.getByRole("searchbox", { name: "Filter the variables of posterior" }).fill("V1999");
    // v1999 and v19990 … v19999.
    await expect(variables).toHaveCount(11);
    await expect(browser).not.toContainText("more match");
    await variables.last().click();
    await expect(page.getByRole("combobox", { name: "Query" })).toHaveValue(/v19999/);
    await browser.getByRole("searchbox", { name: "Filter the variables of posterior" }).fill("w");
    await expect(browser).toContainText("No variable of posterior has “w” in its name");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
