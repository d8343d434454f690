import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DiagnosedBlock } from "../src/engine/diagnose.ts";
import { elementName } from "../src/engine/diagnostics-output.ts";
import { DIAGNOSTIC_NAMES, DiagnosticsError, diagnoseDraws } from "../src/engine/stats/diagnostics.ts";
import { diagnoseBlock } from "../src/engine/stats/diagnose-block.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES } from "./golden.ts";

/** The tolerance against R's posterior 1.4: 1e-6 relative. */
const REL = 1e-6;

/** A value as the goldens write it: a number, or "NA", "NaN", "Inf", "-Inf". */
type GoldenValue = number | string;

function goldenNumber(value: GoldenValue): number {
  if (typeof value === "number") return value;
  if (value === "Inf") return Infinity;
  if (value === "-Inf") return -Infinity;
  return NaN;
}

/** Whether `actual` is R's answer: NaN for NA or NaN, the same infinity, or within REL. */
function matches(actual: number, expected: GoldenValue): boolean {
  const want = goldenNumber(expected);
  if (Number.isNaN(want)) return Number.isNaN(actual);
  if (!Number.isFinite(want)) return actual === want;
  return Math.abs(actual - want) <= REL * Math.abs(want);
}

/** The diagnostics that differ from R's, as "name: ours (R: theirs)"; empty when all match. */
function mismatches(actual: Float64Array, expected: Record<string, GoldenValue>): string[] {
  return DIAGNOSTIC_NAMES.flatMap((name, j) => (matches(actual[j], expected[name]) ? [] : [`${name}: ${actual[j]} (R: ${expected[name]})`]));
}

interface EdgeCase {
  name: string;
  description: string;
  chains: number;
  draws: GoldenValue[];
  expected: Record<string, GoldenValue>;
}

const EDGE_DIR = join(import.meta.dirname, "fixtures", "diagnostics");
const edgeCases = readdirSync(EDGE_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(EDGE_DIR, f), "utf8")) as EdgeCase);

describe("diagnoseDraws against R posterior 1.4 (scripts/diagnostics-goldens.R)", () => {
  it("has the generated cases", () => {
    expect(edgeCases.length).toBe(39);
  });

  it.each(edgeCases.map((c) => [c.name, c] as const))("%s", (_, edge) => {
    const draws = Float64Array.from(edge.draws, goldenNumber);
    const out = new Float64Array(DIAGNOSTIC_NAMES.length);
    diagnoseDraws(draws, edge.chains, out);
    expect(mismatches(out, edge.expected), edge.description).toEqual([]);
  });

  it("gives the same answers for a block of scalars as one at a time", () => {
    const sameShape = edgeCases.filter((c) => c.chains === 4 && c.draws.length === 200);
    expect(sameShape.length).toBeGreaterThanOrEqual(5);
    const draws = Float64Array.from(
      sameShape.flatMap((c) => c.draws),
      goldenNumber,
    );
    const stats = diagnoseBlock({ draws, chains: 4, count: sameShape.length });
    sameShape.forEach((edge, i) => {
      const row = stats.subarray(i * DIAGNOSTIC_NAMES.length, (i + 1) * DIAGNOSTIC_NAMES.length);
      expect(mismatches(row, edge.expected), edge.name).toEqual([]);
    });
  });

  it("refuses draws that do not cut into the chains", () => {
    expect(() => diagnoseDraws(new Float64Array(10), 3, new Float64Array(DIAGNOSTIC_NAMES.length))).toThrow(DiagnosticsError);
    expect(() => diagnoseDraws(new Float64Array(10), 3, new Float64Array(DIAGNOSTIC_NAMES.length))).toThrow("10 draws cannot be cut into 3 chains of equal length");
  });
});

describe("the example's diagnostics against R posterior's diag_*.json", () => {
  const golden = (name: string) => JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", `diag_${name}.json`), "utf8")) as Record<string, GoldenValue>[];

  it.each(["grouped_regression.zarr", "grouped_regression.v3.zarr", "grouped_regression.nc"])("%s: beta, intercept and sigma", async (store) => {
    const trace = await openPath(join(FIXTURES, store));
    const blocks: DiagnosedBlock[] = [];
    const total = await trace.diagnose({ kind: "query", query: "beta, intercept, sigma", groups: ["posterior"] }, { onBlock: (b) => blocks.push(b) });
    expect(total).toBe(9);
    const byName = new Map<string, Float64Array>();
    for (const block of blocks) {
      for (let i = 0; i < block.count; i++) {
        const name = elementName(
          block.target.variable.name,
          block.labels.map((l) => l[i]),
        );
        byName.set(name, block.stats.subarray(i * DIAGNOSTIC_NAMES.length, (i + 1) * DIAGNOSTIC_NAMES.length));
      }
    }
    const expected = ["beta", "intercept", "sigma"].flatMap((name) => golden(name).map((row) => ({ element: row.groups === undefined ? name : `${name}[${row.groups}]`, row })));
    expect([...byName.keys()].sort()).toEqual(expected.map((e) => e.element).sort());
    for (const { element, row } of expected) expect(mismatches(byName.get(element)!, row), element).toEqual([]);
  });
});
