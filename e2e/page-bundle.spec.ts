// The built page holds what it draws and asks with, not the engine's readers: decoding stays in the
// workers, and the codecs' WebAssembly (blosc, zstd, lz4), NetCDF's and Parquet's must not be in the
// page's chunks, where it would be built a second time and never run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

const DIST = process.env.DRAWSCOPE_E2E_DIST ?? "dist";

/** The chunks the page's module script loads or can import, workers (started by URL) left out. */
function pageChunks(): string[] {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error(`no module script under /assets/ in ${DIST}/index.html: was the app built with another base path?`);
  const reached = new Set([entry]);
  const queue = [entry];
  while (queue.length) {
    const code = readFileSync(join(DIST, "assets", queue.pop()!), "utf8");
    for (const [, name] of code.matchAll(/["'`](?:\.\/|\/assets\/)([\w.-]+\.js)["'`]/g)) {
      if (name.includes(".worker-") || reached.has(name)) continue;
      reached.add(name);
      queue.push(name);
    }
  }
  return [...reached];
}

test("the page's chunks hold no codec or reader of the engine", () => {
  const chunks = pageChunks();
  expect(chunks.some((c) => /^index-/.test(c))).toBe(true);
  expect(chunks.filter((c) => /^(blosc|zstd|lz4|hdf5|parquet)/.test(c))).toEqual([]);
  // The walk saw the page start its worker, so it read the page's own code.
  expect(chunks.map((c) => readFileSync(join(DIST, "assets", c), "utf8")).join("\n")).toContain("engine.worker-");
});
