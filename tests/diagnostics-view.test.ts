import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { DiagnosticsScope } from "../src/engine/diagnose.ts";
import { diagnosticsTable } from "../src/engine/diagnostics-output.ts";
import { openPath } from "../src/engine/store/node.ts";
import { DiagnosticsRows } from "../src/state/diagnostics-rows.ts";
import { flagReason, formatStat, STAT_COLUMNS } from "../src/ui/diagnostics-format.ts";
import { countFlagged, filterByName, FLAG_ESS_BULK, FLAG_ESS_TAIL, FLAG_RHAT, isSortKey, rowFlags, rowRange, shownRows, rowOrder, spansGroups } from "../src/ui/diagnostics-view.ts";
import { FIXTURES } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));

/** The rows the page would hold for a scope: every block as the worker sends it (through Arrow IPC). */
async function diagnosedRows(scope: DiagnosticsScope): Promise<DiagnosticsRows> {
  const rows = new DiagnosticsRows();
  await trace.diagnose(scope, { onBlock: (block) => rows.append(tableFromIPC(tableToIPC(diagnosticsTable(block), "stream"))) });
  return rows;
}

const posterior = await diagnosedRows({ kind: "group", group: "posterior" });
const sampler = await diagnosedRows({ kind: "group", group: "sample_stats" });

interface Golden {
  groups?: string;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  mean: number;
}
const golden = (name: string) => JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", `diag_${name}.json`), "utf8")) as Golden[];
const GROUPS = ["North", "South", "East", "West"];

const rowOf = (rows: DiagnosticsRows, element: string) => Array.from({ length: rows.length }, (_, i) => rows.element(i)).indexOf(element);
const ones = (mask: Uint8Array) => mask.reduce((n, m) => n + m, 0);
const elements = (rows: DiagnosticsRows, order: ArrayLike<number>) => Array.from(order, (r) => rows.element(r));

describe("the diagnostics rows of the example's posterior", () => {
  it("hold every element, with R's values for beta", () => {
    expect(posterior.length).toBe(105);
    // "intercept[North]" and "intercept[South]": what the element column is sized for.
    expect(posterior.longestElement).toBe(16);
    golden("beta").forEach((g) => {
      const row = rowOf(posterior, `beta[${g.groups}]`);
      expect(posterior.stat("rhat")[row]).toBeCloseTo(g.rhat, 8);
      expect(posterior.stat("ess_bulk")[row]).toBeCloseTo(g.ess_bulk, 6);
    });
  });
});

describe("sorting", () => {
  it("keeps the trace's order by index, either way", () => {
    const order = elements(posterior, rowOrder(posterior, "index", false));
    expect(order.slice(0, 6)).toEqual(["beta[North]", "beta[South]", "beta[East]", "beta[West]", "intercept[North]", "intercept[South]"]);
    expect(order.slice(8, 10)).toEqual(["mu[0]", "mu[1]"]);
    expect(order.slice(-2)).toEqual(["mu[95]", "sigma"]);
    expect(elements(posterior, rowOrder(posterior, "index", true))).toEqual(order.toReversed());
  });

  it("sorts names naturally: mu[9] before mu[10]", () => {
    const order = elements(posterior, rowOrder(posterior, "element", false));
    expect(order.slice(0, 9)).toEqual(["beta[East]", "beta[North]", "beta[South]", "beta[West]", "intercept[East]", "intercept[North]", "intercept[South]", "intercept[West]", "mu[0]"]);
    expect(order.slice(17, 20)).toEqual(["mu[9]", "mu[10]", "mu[11]"]);
    expect(order.at(-1)).toBe("sigma");
    expect(elements(posterior, rowOrder(posterior, "element", true))[0]).toBe("sigma");
  });

  it("orders by a diagnostic's values, up or down", () => {
    for (const descending of [false, true]) {
      const order = rowOrder(posterior, "rhat", descending);
      expect(order.length).toBe(105);
      expect(new Set(order).size).toBe(105);
      const values = Array.from(order, (r) => posterior.stat("rhat")[r]);
      const sorted = [...values].sort((a, b) => (descending ? b - a : a - b));
      expect(values).toEqual(sorted);
    }
    // beta's R-hats from R: North 0.99848 < East 0.99929 < West 0.99937 < South 1.00526.
    const beta = golden("beta")
      .toSorted((a, b) => a.rhat - b.rhat)
      .map((g) => `beta[${g.groups}]`);
    const betaOrder = elements(posterior, rowOrder(posterior, "rhat", false)).filter((e) => e.startsWith("beta"));
    expect(betaOrder).toEqual(beta);
    expect(beta).toEqual(["beta[North]", "beta[East]", "beta[West]", "beta[South]"]);
  });

  it("puts NA last in both directions, ties in the trace's order", () => {
    // diverging never happens in the example, so its R-hat and ESS are NA.
    const diverging = rowOf(sampler, "diverging");
    expect(sampler.stat("rhat")[diverging]).toBeNaN();
    for (const descending of [false, true]) {
      const order = rowOrder(sampler, "rhat", descending);
      const missing = elements(sampler, order).filter((_, k) => Number.isNaN(sampler.stat("rhat")[order[k]]));
      expect(missing).toContain("diverging");
      expect(elements(sampler, order).slice(-missing.length)).toEqual(missing);
      const finite = Array.from(order.subarray(0, order.length - missing.length), (r) => sampler.stat("rhat")[r]);
      expect(finite.every((v, k) => k === 0 || (descending ? v <= finite[k - 1] : v >= finite[k - 1]))).toBe(true);
    }
  });

  it("knows its sort keys", () => {
    expect(["index", "element", "rhat", "ess_tail", "mcse_sd"].every(isSortKey)).toBe(true);
    expect(isSortKey("rank")).toBe(false);
  });
});

describe("filtering by name", () => {
  it("matches a regular expression, case-insensitively", () => {
    expect(ones(filterByName(posterior, "^beta").mask!)).toBe(4);
    const mask = filterByName(posterior, "MU\\[1\\d\\]").mask!;
    expect(elements(posterior, shownRows(rowOrder(posterior, "index", false), mask, undefined, 0))).toEqual(Array.from({ length: 10 }, (_, i) => `mu[${10 + i}]`));
    expect(filterByName(posterior, "^beta").problem).toBeUndefined();
    expect(filterByName(posterior, "")).toEqual({});
  });

  it("matches text that is not a valid expression as plain text, and says so", () => {
    const { mask, problem } = filterByName(posterior, "beta[");
    expect(problem).toMatch(/^not a valid regular expression \(.*\): matched as plain text$/);
    expect(elements(posterior, shownRows(rowOrder(posterior, "index", false), mask, undefined, 0))).toEqual(GROUPS.map((g) => `beta[${g}]`));
    expect(ones(filterByName(posterior, "(").mask!)).toBe(0);
  });
});

describe("flags", () => {
  it("flags R-hat above and ESS below the thresholds, as R's values say", () => {
    const thresholds = { rhat: 1, ess: 1600 };
    const flags = rowFlags(posterior, thresholds);
    for (const g of golden("beta")) {
      const expected = (g.rhat > 1 ? FLAG_RHAT : 0) | (g.ess_bulk < 1600 ? FLAG_ESS_BULK : 0) | (g.ess_tail < 1600 ? FLAG_ESS_TAIL : 0);
      expect(flags[rowOf(posterior, `beta[${g.groups}]`)]).toBe(expected);
    }
    // South: R-hat 1.00526 > 1, bulk 1512 and tail 1573 < 1600; North: only its tail (1579).
    expect(flags[rowOf(posterior, "beta[South]")]).toBe(FLAG_RHAT | FLAG_ESS_BULK | FLAG_ESS_TAIL);
    expect(flags[rowOf(posterior, "beta[North]")]).toBe(FLAG_ESS_TAIL);
  });

  it("with the default thresholds flags only sigma (R-hat 1.034, ESS bulk 253, tail 364 in R), and never NA", () => {
    const [sigma] = golden("sigma");
    expect([sigma.rhat > 1.01, sigma.ess_bulk < 400, sigma.ess_tail < 400]).toEqual([true, true, true]);
    const flags = rowFlags(posterior, { rhat: 1.01, ess: 400 });
    expect(countFlagged(flags)).toBe(1);
    expect(flags[rowOf(posterior, "sigma")]).toBe(FLAG_RHAT | FLAG_ESS_BULK | FLAG_ESS_TAIL);
    const stats = rowFlags(sampler, { rhat: 1.01, ess: 400 });
    expect(sampler.stat("ess_bulk")[rowOf(sampler, "diverging")]).toBeNaN();
    expect(stats[rowOf(sampler, "diverging")]).toBe(0);
  });

  it("explains a flagged cell in words", () => {
    const [rhat, bulk, tail] = ["rhat", "ess_bulk", "ess_tail"].map((k) => STAT_COLUMNS.find((c) => c.key === k)!);
    const thresholds = { rhat: 1.01, ess: 400 };
    expect(flagReason(rhat, 1.0234, thresholds)).toBe("R-hat 1.023 is above 1.01: the chains have not mixed, so these draws are not yet trustworthy");
    expect(flagReason(bulk, 123.4, thresholds)).toBe("ESS bulk 123 is below 400: too few effective draws for reliable means and medians");
    expect(flagReason(tail, 399.6, thresholds)).toBe("ESS tail 400 is below 400: too few effective draws for reliable tail quantiles and intervals");
    expect(flagReason(rhat, 1.01, thresholds)).toBeUndefined();
    expect(flagReason(bulk, Number.NaN, thresholds)).toBeUndefined();
    expect(flagReason(STAT_COLUMNS[0], 1e9, thresholds)).toBeUndefined();
  });
});

describe("the rows shown", () => {
  it("the worst 20 by R-hat: sorted down, cut to 20, the highest first", () => {
    const worst = shownRows(rowOrder(posterior, "rhat", true), undefined, undefined, 20);
    expect(worst.length).toBe(20);
    const rhat = posterior.stat("rhat");
    expect(rhat[worst[0]]).toBe(Math.max(...rhat));
    const left = new Set(Array.from({ length: 105 }, (_, i) => i).filter((i) => !worst.includes(i)));
    expect([...left].every((i) => rhat[i] <= rhat[worst[19]])).toBe(true);
  });

  it("combines the name filter, flagged-only and the limit", () => {
    const order = rowOrder(posterior, "ess_bulk", false);
    const flags = rowFlags(posterior, { rhat: 1, ess: 1600 });
    const beta = filterByName(posterior, "^beta").mask;
    // Every beta has R-hat > 1 or an ESS < 1600; by bulk ESS: South 1512, West 1582, North 1625, East 1652.
    expect(elements(posterior, shownRows(order, beta, flags, 0))).toEqual(
      golden("beta")
        .toSorted((a, b) => a.ess_bulk - b.ess_bulk)
        .map((g) => `beta[${g.groups}]`),
    );
    expect(elements(posterior, shownRows(order, beta, flags, 2))).toEqual(["beta[South]", "beta[West]"]);
    expect(shownRows(order, undefined, undefined, 0)).toEqual(order);
  });

  it("a shift-click range runs either way between two display positions", () => {
    const shown = Int32Array.from([7, 3, 9, 1, 4]);
    expect(rowRange(shown, 1, 3)).toEqual([3, 9, 1]);
    expect(rowRange(shown, 3, 1)).toEqual([3, 9, 1]);
    expect(rowRange(shown, 4, 4)).toEqual([4]);
  });

  it("shows a group column only when rows come from several groups", async () => {
    expect(spansGroups(posterior)).toBe(false);
    const stacked = await diagnosedRows({ kind: "query", query: "beta[groups], sigma", groups: ["posterior", "prior"] });
    expect(stacked.length).toBe(10);
    expect(spansGroups(stacked)).toBe(true);
  });
});

describe("number formats", () => {
  it("shows beta[North] as R's values rounded: R-hat to 3 decimals, ESS whole, the rest to 4 digits", () => {
    const [north] = golden("beta");
    expect(formatStat("rhat", north.rhat)).toBe("0.998");
    expect(formatStat("ess_bulk", north.ess_bulk)).toBe("1,625");
    expect(formatStat("ess_tail", north.ess_tail)).toBe("1,579");
    expect(formatStat("mean", north.mean)).toBe("0.4200");
    expect(formatStat("mean", golden("beta")[3].mean)).toBe("-0.5862");
  });

  it("NA, zero, large and small numbers", () => {
    expect(formatStat("rhat", Number.NaN)).toBe("NA");
    expect(formatStat("mcse_mean", Number.NaN)).toBe("NA");
    expect(formatStat("mean", 0)).toBe("0");
    expect(formatStat("mean", 12345.67)).toBe("12346");
    expect(formatStat("sd", 1234567)).toBe("1.235e6");
    expect(formatStat("mcse_sd", 0.0000123456)).toBe("1.235e-5");
    expect(formatStat("q5", 0.00123456)).toBe("0.001235");
    expect(formatStat("ess_bulk", 123456.7)).toBe("123,457");
    expect(formatStat("mean", Number.POSITIVE_INFINITY)).toBe("∞");
  });
});
