import { beforeAll, describe, expect, it } from "vitest";
import { SpecError } from "../src/engine/errors.ts";
import { openPath } from "../src/engine/store/node.ts";
import type { Trace } from "../src/engine/trace.ts";
import { FIXTURES } from "./golden.ts";

let trace: Trace;
beforeAll(async () => {
  trace = await openPath(`${FIXTURES}/grouped_regression.zarr`);
});

async function specError(query: string, groups?: string[]): Promise<SpecError> {
  const error = await trace.extract(query, { groups }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe("spec resolution errors", () => {
  it("unknown variable: names the group, its variables and the nearest name", async () => {
    const e = await specError("sigma, intercpt[groups]");
    expect(e.kind).toBe("unknown-variable");
    expect(e.message).toBe("no variable 'intercpt' in group 'posterior' (it has beta, intercept, mu, sigma): did you mean 'intercept'?");
    expect([e.start, e.end]).toEqual([7, 15]);
    expect(e.suggestion).toBe("intercept");
  });

  it("a variable of another group: says where it is", async () => {
    const e = await specError("y[obs_ind]");
    expect(e.message).toBe(
      "no variable 'y' in group 'posterior' (it has beta, intercept, mu, sigma); it is in posterior_predictive, log_likelihood, observed_data, prior_predictive: write 'posterior_predictive/y'",
    );
  });

  it("unknown group prefix", async () => {
    const e = await specError("sigma, posterir_predictive/y");
    expect(e.kind).toBe("unknown-group");
    expect(e.message).toBe(
      "no group 'posterir_predictive' in this trace (it has constant_data, log_likelihood, observed_data, posterior, posterior_predictive, prior, prior_predictive, sample_stats): did you mean 'posterior_predictive'?",
    );
    expect([e.start, e.end]).toEqual([7, 26]);
  });

  it("unknown source group", async () => {
    const e = await specError("sigma", ["posterior", "prios"]);
    expect(e.kind).toBe("unknown-group");
    expect(e.message).toMatch(/^no group 'prios' in this trace .*: did you mean 'prior'\?$/);
  });

  it("wrong dimension: names the variable's dims and the nearest match", async () => {
    const e = await specError("beta[group]");
    expect(e.kind).toBe("dims");
    expect(e.message).toBe("'beta' has no dimension 'group' (its dimensions are groups): did you mean 'groups'?");
    expect([e.start, e.end]).toEqual([5, 10]);
  });

  it("extra dimension", async () => {
    const e = await specError("beta[groups, obs_ind]");
    expect(e.message).toBe("'beta' has no dimension 'obs_ind' (its dimensions are groups)");
    expect([e.start, e.end]).toEqual([13, 20]);
  });

  it("brackets on a scalar", async () => {
    const e = await specError("sigma[groups]");
    expect(e.message).toBe("'sigma' has no dimensions to spread over (only chain, draw): drop the brackets");
  });

  it("a sample dimension in brackets", async () => {
    const e = await specError("beta[chain, groups]");
    expect(e.message).toBe("'chain' is a sample dimension, always a column of its own: leave it out of the brackets of 'beta' (its dimensions are groups)");
  });

  it("a dimension named twice", async () => {
    const e = await specError("beta[groups, groups]");
    expect(e.message).toBe("dimension 'groups' is named twice for 'beta'");
    expect(e.start).toBe(13);
  });

  it("missing dimensions of a 2-D variable", async () => {
    const e = await specError("log_likelihood/y[chain]");
    expect(e.message).toMatch(/sample dimension/);
  });

  it("the same variable twice", async () => {
    const e = await specError("sigma, sigma");
    expect(e.kind).toBe("duplicate");
    expect(e.message).toBe("'posterior/sigma' is asked for twice: remove one");
    expect([e.start, e.end]).toEqual([7, 12]);
  });
});
