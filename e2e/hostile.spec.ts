// Malformed stores of the catalogue (tests/hostile-catalogue.ts) opened in the app as a user would
// (Open folder): each gets its named error within a second of being handed over, the page throws
// nothing, the trace open before stays open, and a good trace opens and draws after them all.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect, test } from "@playwright/test";
import { CATALOGUE, writeCase } from "../tests/hostile-catalogue.ts";
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
