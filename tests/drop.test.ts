import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { openFiles } from "../src/engine/store/files.ts";
import { openTrace } from "../src/engine/trace.ts";
import { droppedTrace, UnsupportedInput } from "../src/ui/sources.ts";
import { expectSameRows, FIXTURES, goldenCsv, parseCsv } from "./golden.ts";

/** A directory entry as Chromium's webkitGetAsEntry gives it, over a folder on disk. */
function entryOf(path: string): FileSystemEntry {
  const name = path.split("/").at(-1)!;
  if (statSync(path).isFile()) {
    return { isFile: true, isDirectory: false, name, file: (done: (f: File) => void) => done(new File([readFileSync(path)], name)) } as unknown as FileSystemEntry;
  }
  const children = readdirSync(path).map((child) => join(path, child));
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      // Browsers hand the listing over in batches; three at a time makes the test walk several.
      return { readEntries: (done: (batch: FileSystemEntry[]) => void) => done(children.slice(at, (at += 3)).map(entryOf)) };
    },
  } as unknown as FileSystemEntry;
}

function dataTransfer(entries: (FileSystemEntry | null)[], files: File[] = []): DataTransfer {
  return { items: entries.map((e) => ({ kind: "file", webkitGetAsEntry: () => e })), files } as unknown as DataTransfer;
}

describe("a dropped folder", () => {
  it("is walked into a file list that opens as the Zarr store", async () => {
    const picked = await droppedTrace(dataTransfer([entryOf(join(FIXTURES, "grouped_regression.v3.zarr"))]));
    expect(picked.ref).toEqual({ kind: "local", label: "grouped_regression.v3.zarr" });
    if (picked.source.kind !== "files") throw new Error("a folder must become a file list");
    expect(picked.source.files.some((f) => f.path === "grouped_regression.v3.zarr/posterior/beta/zarr.json")).toBe(true);
    const trace = await openTrace(openFiles(picked.source.files, picked.label));
    const table = await trace.extract("beta[groups], intercept[groups]");
    expectSameRows(parseCsv(toCsv(table)), goldenCsv("grouped_regression.expected", "case01.csv.gz"), 3);
  });

  it("refuses several items", async () => {
    const folder = entryOf(join(FIXTURES, "grouped_regression.zarr"));
    const error = await droppedTrace(dataTransfer([folder, folder])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedInput);
    expect((error as Error).message).toBe("2 items were dropped: drop one Zarr folder or one .zip, or CmdStan's CSV files (one per chain)");
  });
});
