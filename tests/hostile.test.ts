// The catalogue of malformed stores (hostile-catalogue.ts): each gets its named error, in the
// engine within a second and in the CLI as one line without a stack trace, exit code 2.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DrawscopeError } from "../src/engine/errors.ts";
import { openPath } from "../src/engine/store/node.ts";
import { CATALOGUE, v2Trace, writeCase } from "./hostile-catalogue.ts";
import { asBytes, dims, writeStoreFolder, zarray } from "./memory-store.ts";

const dir = mkdtempSync(join(tmpdir(), "drawscope-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DRAWS = join(import.meta.dirname, "..", "src", "cli", "draws.ts");

function cli(store: string, query: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", DRAWS, store, query], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr, stdout }));
  });
}

describe("odd but valid names", () => {
  it("a dimension named with a '/' is written in a spec as it is, and its labels selected", async () => {
    const store = writeStoreFolder(
      "slash-dim.zarr",
      v2Trace({
        "posterior/x/.zarray": zarray("<f8", [1, 2, 3], [1, 2, 3]),
        "posterior/x/.zattrs": dims("chain", "draw", "a/b"),
        "posterior/x/0.0.0": asBytes(Float64Array.of(1, 2, 3, 4, 5, 6)),
      }),
    );
    const trace = await openPath(store);
    const table = await trace.extract("x[a/b=1|2]");
    expect(table.schema.fields.map((f) => f.name)).toEqual(["chain", "draw", "a/b", "x"]);
    expect([...(table.getChild("x")!.toArray() as Float64Array)]).toEqual([2, 3, 5, 6]);
  });
});

describe("malformed stores", () => {
  it("the catalogue covers each kind of damage with its own case", () => {
    expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CATALOGUE.map((c) => [c.name, c] as const))("%s: a named error from the engine within a second", async (_, entry) => {
    const store = writeCase(dir, entry);
    const start = performance.now();
    const error = await openPath(store)
      .then((trace) => trace.extract(entry.query))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(performance.now() - start).toBeLessThan(1000);
    expect(error, entry.what).toBeInstanceOf(DrawscopeError);
    expect((error as Error).message).toMatch(entry.error);
  });

  it("each gets its error in the CLI: one line, no stack trace, exit code 2, no rows on stdout", async () => {
    const runs = [];
    // Two at a time: each is a Node process.
    for (let i = 0; i < CATALOGUE.length; i += 2) {
      runs.push(...(await Promise.all(CATALOGUE.slice(i, i + 2).map(async (entry) => ({ entry, run: await cli(writeCase(dir, entry), entry.query) })))));
    }
    for (const { entry, run } of runs) {
      expect(run.code, entry.name).toBe(2);
      // A damaged chunk is met while the table streams out: the header may have gone, no row has.
      expect(run.stdout.split("\n").filter(Boolean).length, entry.name).toBeLessThanOrEqual(1);
      expect(run.stderr, entry.name).toMatch(/^error: /);
      expect(run.stderr.split("\n")[0].slice("error: ".length), entry.name).toMatch(entry.error);
      expect(run.stderr, entry.name).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
