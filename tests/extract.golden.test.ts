import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES, expectSameRows, goldenCases, goldenCsv, parseCsv } from "./golden.ts";

const STORES: Record<string, string[]> = {
  "grouped_regression.expected": ["grouped_regression.zarr", "grouped_regression.v3.zarr", "grouped_regression.zarr.zip", "grouped_regression.v3.zarr.zip", "grouped_regression.nc"],
  "arviz/centered_eight.expected": ["arviz/centered_eight.zarr", "arviz/centered_eight.nc"],
};

/**
 * The table's booleans written as the golden writes that column: centered_eight.zarr, which its
 * golden was made from, lost the `dtype: bool` attribute xarray gives ArviZ's `diverging` in the
 * NetCDF file, so there it reads as int8 0 and 1, and from the file as booleans.
 */
function booleansAs(actual: { header: string[]; rows: string[][] }, golden: { header: string[]; rows: string[][] }) {
  const numeric = actual.header.map((_, j) => golden.rows.every((r) => r[j] === "0" || r[j] === "1") && actual.rows.some((r) => r[j] === "false" || r[j] === "true"));
  if (!numeric.some(Boolean)) return actual;
  const cell = (v: string, j: number) => (numeric[j] ? (v === "true" ? "1" : v === "false" ? "0" : v) : v);
  return { header: actual.header, rows: actual.rows.map((r) => r.map(cell)) };
}

for (const [expectedDir, stores] of Object.entries(STORES)) {
  for (const store of stores) {
    describe(`${store} reproduces ${expectedDir}`, async () => {
      const trace = await openPath(`${FIXTURES}/${store}`);
      for (const c of goldenCases(expectedDir)) {
        it(`${c.group}: ${c.specs.join(", ")} (${c.rows} rows)`, async () => {
          const table = await trace.extract(c.specs, { groups: [c.group] });
          expect(table.numRows).toBe(c.rows);
          expect(table.schema.fields.map((f) => f.name)).toEqual(c.columns);
          const golden = goldenCsv(expectedDir, c.table);
          const valueColumns = c.specs.length;
          expectSameRows(booleansAs(parseCsv(toCsv(table)), golden), golden, c.columns.length - valueColumns);
        });
      }
    });
  }
}
