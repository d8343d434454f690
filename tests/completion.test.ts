import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { completionsAt } from "../src/ui/completion.ts";
import { FIXTURES } from "./golden.ts";

const { tree } = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const at = (query: string, caret = query.length, groups = ["posterior"]) => completionsAt(query, caret, tree, groups);

describe("query completion", () => {
  it("offers the default group's variables as whole specs, with shapes", () => {
    const found = at("be");
    expect(found).toMatchObject({ from: 0, to: 2 });
    expect(found.items[0]).toEqual({ label: "beta[groups]", insert: "beta[groups]", detail: "4×400×4" });
  });

  it("completes the spec after a comma, replacing only the word typed", () => {
    const found = at("beta[groups], si");
    expect(found.from).toBe(14);
    expect(found.items.map((i) => i.insert)).toContain("sigma");
  });

  it("completes inside expressions: operands after an operator or a parenthesis, their dimensions, and function names", () => {
    const inCall = at("d = exp(be");
    expect(inCall.from).toBe(8);
    expect(inCall.items[0]).toEqual({ label: "beta[groups]", insert: "beta[groups]", detail: "4×400×4" });
    expect(at("d = beta[groups]-si").items.map((i) => i.insert)).toContain("sigma");
    expect(at("exp(beta[gr").items).toEqual([{ label: "groups", insert: "groups", detail: "4 labels" }]);
    expect(at("odds = ex").items).toContainEqual({ label: "exp()", insert: "exp(", detail: "function of one argument" });
    expect(at("m = ma").items).toContainEqual({ label: "max()", insert: "max(", detail: "function of 2 arguments" });
  });

  it("offers dimensions inside brackets, leaving out the ones already typed", () => {
    expect(at("mu[").items.map((i) => i.insert)).toEqual(["obs_ind"]);
    expect(at("beta[gr").items).toEqual([{ label: "groups", insert: "groups", detail: "4 labels" }]);
    expect(at("beta[groups, ").items).toEqual([]);
  });

  it("offers a group's variables after group/, with the prefix kept", () => {
    const found = at("constant_data/");
    expect(found.from).toBe(0);
    expect(found.items.map((i) => [i.insert, i.detail])).toEqual([
      ["constant_data/group_idx[obs_ind]", "96"],
      ["constant_data/x[obs_ind]", "96"],
    ]);
  });

  it("offers group names, and other groups' variables with their prefix", () => {
    const found = at("pri");
    expect(found.items.map((i) => i.insert)).toEqual(["prior/", "prior_predictive/"]);
    const y = at("y").items.map((i) => i.insert);
    expect(y).toContain("posterior_predictive/y[obs_ind]");
    expect(y).toContain("observed_data/y[obs_ind]");
  });

  it("inserts only the name when brackets follow", () => {
    expect(at("bet[groups]", 3).items[0].insert).toBe("beta");
  });
});
