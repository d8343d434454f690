// Seeded fuzzing of the query grammar: 10,000 mutations of real queries (specs, selections,
// expressions) through the parser and the planner against a real trace. Every one must either
// plan or be refused with a drawscope error, quickly: no other exception, no hang.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DrawscopeError } from "../src/engine/errors.ts";
import { parseEntries } from "../src/engine/expression.ts";
import { planQuery } from "../src/engine/query-plan.ts";
import { uniforms } from "../src/engine/stats/random.ts";
import { openPathStore } from "../src/engine/store/node.ts";
import { openTree } from "../src/engine/tree.ts";
import { FIXTURES } from "./golden.ts";

const SEEDS = [
  "beta[groups], sigma",
  "beta[groups=North|South], intercept[groups]",
  'theta[school="St. Paul\'s"]',
  "posterior_predictive/y[obs_ind], observed_data/y",
  "d = beta[groups] - beta[groups=North]",
  "p = beta[groups] > 0 && !(sigma >= 1e-3) || sigma^2 != 0.5",
  "fit = intercept[groups] + beta[groups] * constant_data/x[obs_ind]",
  "m = max(sigma, 1) * -2 ^ 2, exp(-0.5 * square(beta[groups] / sigma))",
];
/** Characters mutations insert: the grammar's punctuation, operators, quotes, digits, letters, space. */
const ALPHABET = "[](),=|/\"'+-*^<>!&. 0123456789eEsigmabetNorth_\\u00e9\\t";
const MUTATIONS = 10_000;

describe("fuzzed queries", () => {
  it(`plan or are refused by name: ${MUTATIONS.toLocaleString("en-US")} seeded mutations, none slow`, async () => {
    const opened = await openTree(await openPathStore(join(FIXTURES, "grouped_regression.zarr")));
    const uniform = uniforms(16);
    const pick = (n: number) => Math.floor(uniform() * n);
    let planned = 0;
    let refused = 0;
    let slowest = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      let query = SEEDS[pick(SEEDS.length)];
      for (let edits = 1 + pick(4); edits > 0; edits--) {
        const at = pick(query.length + 1);
        const kind = pick(3);
        const char = ALPHABET[pick(ALPHABET.length)];
        if (kind === 0) query = query.slice(0, at) + char + query.slice(at);
        else if (kind === 1) query = query.slice(0, at) + query.slice(at + 1);
        else query = query.slice(0, at) + char + query.slice(at + 1);
      }
      const start = performance.now();
      try {
        parseEntries([query]);
        planQuery(opened, query, ["posterior"]);
        planned++;
      } catch (error) {
        if (!(error instanceof DrawscopeError)) throw new Error(`${JSON.stringify(query)} threw ${(error as Error).stack}`);
        refused++;
      }
      slowest = Math.max(slowest, performance.now() - start);
    }
    expect(planned + refused).toBe(MUTATIONS);
    // Both outcomes occur (most mutations break a query; some keep it valid or make another).
    expect(planned).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(5000);
    expect(slowest).toBeLessThan(250);
  }, 120_000);
});
