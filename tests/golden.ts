import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { expect } from "vitest";

/** The repository's traces and goldens (fixtures/README.md says where each came from). */
export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export interface GoldenCase {
  group: string;
  specs: string[];
  rows: number;
  columns: string[];
  table: string;
}

export function goldenCases(expectedDir: string): GoldenCase[] {
  return JSON.parse(readFileSync(join(FIXTURES, expectedDir, "cases.json"), "utf8")) as GoldenCase[];
}

/** Parse a golden CSV (no quoted fields in the fixtures) into a header and string rows. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split("\n").filter((l) => l !== "");
  return { header: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

export function goldenCsv(expectedDir: string, file: string): { header: string[]; rows: string[][] } {
  return parseCsv(gunzipSync(readFileSync(join(FIXTURES, expectedDir, file))).toString("utf8"));
}

const REL = 1e-12;

function sameCell(actual: string, expected: string, relative: number): boolean {
  if (actual === expected) return true;
  const a = Number(actual);
  const e = Number(expected);
  if (actual === "" || expected === "" || Number.isNaN(a) || Number.isNaN(e)) return false;
  return Math.abs(a - e) <= relative * Math.max(Math.abs(a), Math.abs(e));
}

/**
 * Assert two tables hold the same rows, in any order: rows are matched on their key columns
 * (chain, draw, dims), then every value column must agree to `relative` (1e-12 unless given; 0
 * asks for the same number, however it is written).
 */
export function expectSameRows(actual: { header: string[]; rows: string[][] }, expected: { header: string[]; rows: string[][] }, keyColumns: number, relative = REL): void {
  expect(actual.header).toEqual(expected.header);
  expect(actual.rows.length).toBe(expected.rows.length);
  const key = (r: string[]) => r.slice(0, keyColumns).join("\u0001");
  const byKey = new Map(expected.rows.map((r) => [key(r), r]));
  expect(byKey.size).toBe(expected.rows.length);
  let mismatches = 0;
  let first = "";
  for (const row of actual.rows) {
    const want = byKey.get(key(row));
    if (!want || !row.every((c, j) => sameCell(c, want[j], relative))) {
      if (!first) first = `got ${row.join(",")} want ${want?.join(",") ?? "(no row with this key)"}`;
      mismatches++;
    }
  }
  expect(mismatches, first).toBe(0);
}
