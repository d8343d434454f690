import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES, expectSameRows, goldenCases, goldenCsv, parseCsv } from "./golden.ts";

const STORES: Record<string, string[]> = {
  "grouped_regression.expected": [
    "grouped_regression.zarr",
    "grouped_regression.v3.zarr",
    "grouped_regression.zarr.zip",
    "grouped_regression.v3.zarr.zip",
  ],
  "arviz/centered_eight.expected": ["arviz/centered_eight.zarr"],
};

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
          expectSameRows(parseCsv(toCsv(table)), golden, c.columns.length - valueColumns);
        });
      }
    });
  }
}
