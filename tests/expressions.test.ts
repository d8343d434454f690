// Derived quantities: every operator and function against values computed directly from the golden
// tables (xarray's beta and sigma, row for row), the join and one-label rules, and each error's
// message and position.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { diagnosticsTable } from "../src/engine/diagnostics-output.ts";
import { SpecError } from "../src/engine/errors.ts";
import { isExpression, parseDerived } from "../src/engine/expression.ts";
import { normalCdf } from "../src/engine/stats/normal-cdf.ts";
import { normalQuantile } from "../src/engine/stats/normal-quantile.ts";
import { openPath } from "../src/engine/store/node.ts";
import { openTrace, type Trace } from "../src/engine/trace.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";
import { asBytes, dims, memoryStore, sampleCoordinates, utf32, zarray } from "./memory-store.ts";

const STORE = join(FIXTURES, "grouped_regression.zarr");
const GROUPS_ORDER = ["North", "South", "East", "West"];

/** Golden case 2 (beta[groups], sigma), keyed by chain, draw and group. */
function goldenBetaSigma(): Map<string, { beta: number; sigma: number }> {
  const { header, rows } = goldenCsv("grouped_regression.expected", "case02.csv.gz");
  expect(header).toEqual(["chain", "draw", "groups", "beta", "sigma"]);
  return new Map(rows.map((r) => [`${r[0]},${r[1]},${r[2]}`, { beta: Number(r[3]), sigma: Number(r[4]) }]));
}

/** Each row of a table as key → the named columns' values. */
function rowsOf(table: Table, names: string[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < table.numRows; i++) {
    const row = table.get(i)!.toJSON() as Record<string, unknown>;
    out.set(`${row.chain},${row.draw},${row.groups}`, Object.fromEntries(names.map((n) => [n, row[n]])));
  }
  return out;
}

const invLogit = (x: number) => 1 / (1 + Math.exp(-x));

/** Each expression with its value computed directly from a golden row's beta (b) and sigma (s). */
const CASES: [string, (b: number, s: number) => number | boolean][] = [
  ["beta[groups] + sigma", (b, s) => b + s],
  ["beta[groups] - sigma", (b, s) => b - s],
  ["beta[groups] * sigma", (b, s) => b * s],
  ["beta[groups] / sigma", (b, s) => b / s],
  ["sigma ^ beta[groups]", (b, s) => s ** b],
  ["-beta[groups]", (b) => -b],
  ["-sigma ^ 2", (_, s) => -(s ** 2)],
  ["(beta[groups] + 1) * 2 - sigma / 4", (b, s) => (b + 1) * 2 - s / 4],
  ["beta[groups] < sigma", (b, s) => b < s],
  ["beta[groups] <= sigma", (b, s) => b <= s],
  ["beta[groups] > sigma", (b, s) => b > s],
  ["beta[groups] >= sigma", (b, s) => b >= s],
  ["beta[groups] == beta[groups]", () => true],
  ["beta[groups] != sigma", (b, s) => b !== s],
  ["beta[groups] > 0 && sigma < 0.5", (b, s) => b > 0 && s < 0.5],
  ["beta[groups] > 0 || sigma < 0.5", (b, s) => b > 0 || s < 0.5],
  ["!(beta[groups] > 0)", (b) => !(b > 0)],
  ["exp(beta[groups])", (b) => Math.exp(b)],
  ["log(sigma)", (_, s) => Math.log(s)],
  ["log1p(sigma)", (_, s) => Math.log1p(s)],
  ["expm1(beta[groups])", (b) => Math.expm1(b)],
  ["log2(sigma)", (_, s) => Math.log2(s)],
  ["log10(sigma)", (_, s) => Math.log10(s)],
  ["sqrt(sigma)", (_, s) => Math.sqrt(s)],
  ["abs(beta[groups])", (b) => Math.abs(b)],
  ["square(beta[groups])", (b) => b * b],
  ["inv_logit(beta[groups])", (b) => invLogit(b)],
  ["logit(sigma / (1 + sigma))", (_, s) => Math.log(s / (1 + s) / (1 - s / (1 + s)))],
  ["Phi(beta[groups])", (b) => normalCdf(b)],
  ["probit(inv_logit(beta[groups]))", (b) => normalQuantile(invLogit(b))],
  ["pow(sigma, 3)", (_, s) => s ** 3],
  ["min(beta[groups], sigma)", (b, s) => Math.min(b, s)],
  ["max(beta[groups], sigma)", (b, s) => Math.max(b, s)],
  ["exp(-0.5 * square(beta[groups] / sigma)) / sqrt(2e0 * 3.141592653589793) / sigma", (b, s) => Math.exp(-0.5 * (b / s) * (b / s)) / Math.sqrt(2 * Math.PI) / s],
];

describe("expressions computed over the golden draws", () => {
  it.each(CASES)("%s equals its value computed from golden beta and sigma, row for row", async (expression, direct) => {
    const trace = await openPath(STORE);
    const table = await trace.extract(`beta[groups], sigma, v = ${expression}`);
    const golden = goldenBetaSigma();
    expect(table.numRows).toBe(golden.size);
    const rows = rowsOf(table, ["v"]);
    let checked = 0;
    for (const [key, { beta, sigma }] of golden) {
      const want = direct(beta, sigma);
      const got = rows.get(key)!.v;
      if (typeof want === "boolean") expect(got, key).toBe(want ? 1 : 0);
      else expect(Math.abs((got as number) - want), `${key}: ${got} against ${want}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
      checked++;
    }
    expect(checked).toBe(6400);
  });

  it("names the column by its name, else by the expression's text, with the role of a value over its operands' dimensions", async () => {
    const trace = await openPath(STORE);
    const table = await trace.extract("exp(sigma), odds = exp(beta[groups])");
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}:${f.metadata.get("drawscope:role")}:${f.metadata.get("drawscope:dims")}`)).toEqual([
      "chain:Uint8:sample:undefined",
      "draw:Uint16:sample:undefined",
      "groups:Dictionary<Int8, Utf8>:dim:undefined",
      "exp(sigma):Float64:value:",
      "odds:Float64:value:groups",
    ]);
    // Operands that are not asked for are read, not shown.
    expect(table.schema.fields.some((f) => f.name === "sigma" || f.name === "beta")).toBe(false);
  });

  it("takes each group's difference from North: a one-label selection drops its dimension and broadcasts", async () => {
    const trace = await openPath(STORE);
    const table = await trace.extract("slope_diff = beta[groups] - beta[groups=North]");
    const golden = goldenBetaSigma();
    expect(table.numRows).toBe(golden.size);
    const rows = rowsOf(table, ["slope_diff"]);
    for (const [key, { beta }] of golden) {
      const [chain, draw] = key.split(",");
      const north = golden.get(`${chain},${draw},North`)!.beta;
      expect(rows.get(key)!.slope_diff).toBe(beta - north);
    }
  });

  it("joins operands on shared dimensions and broadcasts over the ones they lack, across groups too", async () => {
    const trace = await openPath(STORE);
    const golden = goldenBetaSigma();
    const joined = await trace.extract("beta[groups=North|East] * sigma");
    expect(joined.numRows).toBe(1600 * 2);
    const x = (await trace.extract("constant_data/x")).getChild("x")!.toArray() as Float64Array;
    const fitted = await trace.extract("fit = sigma * constant_data/x[obs_ind]");
    expect(fitted.schema.fields.map((f) => f.name)).toEqual(["chain", "draw", "obs_ind", "fit"]);
    expect(fitted.numRows).toBe(1600 * 96);
    const row = fitted.get(1234)!.toJSON() as { chain: number; draw: number; obs_ind: number; fit: number };
    expect(row.fit).toBe(golden.get(`${row.chain},${row.draw},North`)!.sigma * x[row.obs_ind]);
  });

  it("streams the same values in batches of a few rows as extract gives whole", async () => {
    const trace = await openPath(STORE);
    const query = "d = beta[groups] - beta[groups=West], q = beta[groups] > sigma";
    const whole = await trace.extract(query);
    const streamed: Record<"d" | "q", number[]> = { d: [], q: [] };
    for await (const batch of trace.stream(query, { batchRows: 100 })) {
      for (const name of ["d", "q"] as const) streamed[name].push(...(batch.getChild(name)!.toArray() as Float64Array));
    }
    for (const name of ["d", "q"] as const) expect(streamed[name]).toEqual([...(whole.getChild(name)!.toArray() as Float64Array)]);
    // A comparison is 1 or 0: its mean is a probability.
    expect(new Set(streamed.q)).toEqual(new Set([0, 1]));
  });
});

describe("diagnostics of expressions", () => {
  it("gives R posterior's diagnostics of sigma scaled for 2·sigma, and of beta mirrored for -beta", async () => {
    const trace = await openPath(STORE);
    const rows: Record<string, unknown>[] = [];
    await trace.diagnose(
      { kind: "query", query: "s2 = sigma * 2, nb = -beta[groups]", groups: [] },
      {
        onBlock: (b) =>
          rows.push(
            ...diagnosticsTable(b)
              .toArray()
              .map((r) => r.toJSON()),
          ),
      },
    );
    const golden = (name: string) => JSON.parse(readFileSync(join(FIXTURES, "grouped_regression.expected", `diag_${name}.json`), "utf8")) as Record<string, number>[];
    const close = (a: unknown, b: number) => expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    const [sigma] = golden("sigma");
    const s2 = rows.find((r) => r.variable === "s2")!;
    expect(s2.spec).toBe("s2 = sigma * 2");
    for (const stat of ["mean", "sd", "median", "mad", "q5", "q95", "mcse_mean", "mcse_sd"]) close(s2[stat], 2 * sigma[stat]);
    for (const stat of ["rhat", "ess_bulk", "ess_tail"]) close(s2[stat], sigma[stat]);
    const beta = golden("beta");
    const nb = rows.filter((r) => r.variable === "nb").sort((a, b) => (a.index as number) - (b.index as number));
    expect(nb.map((r) => r.element)).toEqual(["nb[North]", "nb[South]", "nb[East]", "nb[West]"]);
    nb.forEach((r, i) => {
      close(r.mean, -beta[i].mean);
      close(r.q5, -beta[i].q95);
      for (const stat of ["sd", "mad", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"]) close(r[stat], beta[i][stat]);
    });
  });
});

describe("an expression's elements for summaries of a query over the budget", () => {
  it("gives each element's draws, computed, as a variable's are read", async () => {
    const trace = await openPath(STORE);
    const golden = goldenBetaSigma();
    const source = trace.elements("odds = exp(beta[groups])");
    const blocks = [];
    for await (const block of source.blocks("odds")) blocks.push({ ...block, slabs: block.slabs.map((s) => ({ ...s, draws: s.draws.slice() })) });
    expect(blocks.map((b) => b.labels)).toEqual([[GROUPS_ORDER]]);
    const [{ slabs, perElement }] = blocks;
    expect(perElement).toBe(1600);
    for (const slab of slabs) {
      for (let e = 0; e < slab.block.count; e++) {
        const group = GROUPS_ORDER[slab.block.from + e];
        // Draws chain after chain: draw s of chain c at c·400 + s.
        for (const s of [0, 399, 400, 1599]) {
          expect(slab.draws[e * perElement + s]).toBe(Math.exp(golden.get(`${Math.floor(s / 400)},${s % 400},${group}`)!.beta));
        }
      }
    }
  });
});

/** The SpecError a query raises: its message and the text it underlines. */
async function specError(trace: Trace, query: string): Promise<{ message: string; at: string }> {
  try {
    await trace.extract(query);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return { message: error.message, at: query.slice(error.start, error.end) };
  }
  throw new Error(`${query} was accepted`);
}

describe("expression errors, positioned like spec errors", () => {
  it("suggests the nearest function for an unknown one", async () => {
    const trace = await openPath(STORE);
    const { message, at } = await specError(trace, "sigma, exq(sigma)");
    expect(message).toMatch(/^no function 'exq': did you mean 'exp'\?/);
    expect(at).toBe("exq");
  });

  it("points at an unbalanced parenthesis", async () => {
    const trace = await openPath(STORE);
    expect(await specError(trace, "d = exp(sigma")).toEqual({ message: "'(' at position 8 is never closed: add ')'", at: "(sigma" });
    expect(await specError(trace, "d = (sigma + 1))")).toEqual({ message: "an unmatched ')' at position 16: remove it or add '(' before it", at: ")" });
  });

  it("points at an operator without an operand", async () => {
    const trace = await openPath(STORE);
    expect(await specError(trace, "sigma *")).toEqual({ message: "'*' at position 7 has no operand after it: add a number, a spec or a parenthesis", at: "*" });
    expect(await specError(trace, "sigma * / 2")).toEqual({ message: "'*' at position 7 has no operand after it: add a number, a spec or a parenthesis", at: "*" });
    expect(await specError(trace, "d = * sigma")).toEqual({ message: "expected a number, a spec or '(' but found '*' at position 5", at: "*" });
  });

  it("refuses a string operand in arithmetic, naming it", async () => {
    const trace = await openTrace(
      memoryStore({
        ".zgroup": { zarr_format: 2 },
        "posterior/.zgroup": { zarr_format: 2 },
        ...sampleCoordinates("posterior", 1, 2),
        "posterior/sigma/.zarray": zarray("<f8", [1, 2], [1, 2]),
        "posterior/sigma/.zattrs": dims("chain", "draw"),
        "posterior/sigma/0.0": asBytes(Float64Array.of(1, 2)),
        "posterior/label/.zarray": zarray("<U2", [1, 2], [1, 2]),
        "posterior/label/.zattrs": dims("chain", "draw"),
        "posterior/label/0.0": utf32(["ab", "cd"], 2),
      }),
    );
    expect(await specError(trace, "sigma * 2 + label")).toEqual({ message: "'label' holds text, which arithmetic cannot take: an expression needs numbers or booleans", at: "label" });
  });

  it("refuses operands that share a dimension but none of its labels", async () => {
    const trace = await openPath(STORE);
    const { message, at } = await specError(trace, "d = beta[groups=North|South] - intercept[groups=East|West]");
    expect(message).toBe("'beta' and 'intercept' share no label of 'groups', so 'd' has no values: select labels they both have");
    expect(at).toBe("beta[groups=North|South] - intercept[groups=East|West]");
  });

  it("refuses a name that clashes with another column", async () => {
    const trace = await openPath(STORE);
    expect(await specError(trace, "sigma, sigma = exp(beta[groups])")).toEqual({
      message: "the expression's name 'sigma' is already a column of this query: name it otherwise (name = expression)",
      at: "sigma",
    });
    expect((await specError(trace, "groups = beta[groups] * 2")).at).toBe("groups");
  });

  it("refuses a query of numbers alone, and takes a number beside a spec as a constant column", async () => {
    const trace = await openPath(STORE);
    expect(await specError(trace, "x = 2 + 3")).toEqual({ message: "x = 2 + 3 reads no variable: an expression needs a spec among its operands, e.g. exp(sigma)", at: "x = 2 + 3" });
    const table = await trace.extract("sigma, two = 2");
    expect(new Set(table.getChild("two")!.toArray() as Float64Array)).toEqual(new Set([2]));
  });

  it("names an unknown variable inside an expression at the operand", async () => {
    const trace = await openPath(STORE);
    const { message, at } = await specError(trace, "exp(sigmma) * 2");
    expect(message).toMatch(/^no variable 'sigmma' in group 'posterior'.*did you mean 'sigma'\?/);
    expect(at).toBe("sigmma");
  });
});

describe("telling expressions from specs", () => {
  it("takes operators and parentheses outside brackets as an expression, labels and group paths as a spec", () => {
    const is = (q: string) => isExpression(q, 0, q.length);
    expect(is("beta[groups=North]")).toBe(false);
    expect(is('theta[school="St. Paul\'s"]')).toBe(false);
    expect(is("posterior/sigma")).toBe(false);
    expect(is("sigma / 2")).toBe(true);
    expect(is("d = sigma")).toBe(true);
    expect(is("exp(sigma)")).toBe(true);
    expect(is("2")).toBe(true);
  });

  it("parses precedence as R does: unary minus below ^, comparisons below arithmetic, && below them", () => {
    const text = (q: string) => {
      const show = (e: ReturnType<typeof parseDerived>["expr"]): string => {
        switch (e.kind) {
          case "number":
            return String(e.value);
          case "operand":
            return q.slice(e.start, e.end);
          case "unary":
            return `(${e.op}${show(e.arg)})`;
          case "binary":
            return `(${show(e.left)} ${e.op} ${show(e.right)})`;
          case "call":
            return `${e.fn}(${e.args.map(show).join(", ")})`;
        }
      };
      return show(parseDerived(q, 0, q.length).expr);
    };
    expect(text("-a ^ 2")).toBe("(-(a ^ 2))");
    expect(text("a ^ b ^ c")).toBe("(a ^ (b ^ c))");
    expect(text("a - b - c")).toBe("((a - b) - c)");
    expect(text("a + b * c > 1 && !d || e")).toBe("((((a + (b * c)) > 1) && (!d)) || e)");
    expect(text("max(a[x=1], 2) / b")).toBe("(max(a[x=1], 2) / b)");
  });
});
