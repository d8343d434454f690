import { describe, expect, it } from "vitest";
import { SpecError } from "../src/engine/errors.ts";
import { parseQuery, splitQuery } from "../src/engine/spec.ts";

function syntaxError(query: string): SpecError {
  try {
    parseQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).kind).toBe("syntax");
    return error as SpecError;
  }
  throw new Error(`'${query}' parsed without error`);
}

describe("parseQuery", () => {
  it("parses scalars, bracketed dims, group prefixes and positions", () => {
    const specs = parseQuery("sigma,  beta[groups], theta[ school , year ], posterior_predictive/y[obs_ind]");
    expect(specs.map((s) => [s.group?.text ?? null, s.name.text, s.dims?.map((d) => d.text) ?? null])).toEqual([
      [null, "sigma", null],
      [null, "beta", ["groups"]],
      [null, "theta", ["school", "year"]],
      ["posterior_predictive", "y", ["obs_ind"]],
    ]);
    const theta = specs[2];
    expect([theta.name.start, theta.name.end]).toEqual([22, 27]);
    expect(theta.dims!.map((d) => [d.start, d.end])).toEqual([
      [29, 35],
      [38, 42],
    ]);
  });

  it("keeps commas inside brackets with their spec", () => {
    expect(splitQuery("theta[school, year], sigma")).toEqual([
      { start: 0, end: 19 },
      { start: 20, end: 26 },
    ]);
  });

  it("reports an unclosed bracket at the bracket", () => {
    const e = syntaxError("sigma, beta[groups");
    expect(e.message).toBe("'[' at position 12 is never closed: add ']'");
    expect([e.start, e.end]).toEqual([11, 18]);
  });

  it("reports empty brackets", () => {
    const e = syntaxError("beta[]");
    expect(e.message).toBe("empty brackets: name the dimensions to spread over, or drop the brackets for all of them");
    expect([e.start, e.end]).toEqual([4, 6]);
  });

  it("reports a missing dimension name after a comma", () => {
    const e = syntaxError("theta[school,]");
    expect(e.message).toBe("expected a dimension name but found ']' at position 14");
    expect(e.start).toBe(13);
  });

  it("reports two specs without a comma", () => {
    const e = syntaxError("beta sigma");
    expect(e.message).toBe("unexpected 'sigma' after 'beta': separate specs with commas");
    expect([e.start, e.end]).toEqual([5, 10]);
  });

  it("reports an unmatched closing bracket", () => {
    const e = syntaxError("beta[groups]]");
    expect(e.message).toBe("an unmatched ']' after 'beta[groups]': separate specs with commas");
    expect(e.start).toBe(12);
  });

  it("reports a missing variable name", () => {
    expect(syntaxError("[groups]").message).toBe("expected a variable name but found '[' at position 1");
    expect(syntaxError("posterior/[groups]").message).toBe("expected a variable name after 'posterior/' but found '[' at position 11");
  });

  it("reports an empty spec between commas", () => {
    const e = syntaxError("beta[groups], , sigma");
    expect(e.message).toBe("empty spec: write a variable name such as 'sigma' or 'beta[groups]'");
    expect([e.start, e.end]).toEqual([13, 14]);
  });
});
