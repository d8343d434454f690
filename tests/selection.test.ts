import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { elementName } from "../src/engine/diagnostics-output.ts";
import { elementSpec, selectionSpec } from "../src/engine/spec-text.ts";
import { SpecError } from "../src/engine/errors.ts";
import { parseQuery } from "../src/engine/spec.ts";
import { openPath } from "../src/engine/store/node.ts";
import { elementsQuery } from "../src/state/diagnostics-slice.ts";
import { FIXTURES } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));

async function specError(query: string): Promise<SpecError> {
  const error = await trace.extract(query).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

describe("selecting labels in a spec", () => {
  it("parses dim=label and dim=label|label, bare or quoted, with positions", () => {
    const [spec] = parseQuery('theta[school=Choate|"St. Paul\'s", year = 2019]');
    expect(spec.dims!.map((d) => d.text)).toEqual(["school", "year"]);
    expect(spec.selections.map((s) => [s.dim.text, s.labels.map((l) => l.text)])).toEqual([
      ["school", ["Choate", "St. Paul's"]],
      ["year", ["2019"]],
    ]);
    expect([spec.selections[0].labels[1].start, spec.selections[0].labels[1].end]).toEqual([20, 32]);
  });

  it("reads only the selected labels, in the dimension's order, joined as usual", async () => {
    const table = await trace.extract("beta[groups=West|North], sigma");
    expect(table.numRows).toBe(4 * 400 * 2);
    const groups = table.getChild("groups")!;
    expect([groups.get(0), groups.get(1), groups.get(2)]).toEqual(["North", "West", "North"]);
    const whole = await trace.extract("beta[groups], sigma");
    // Row (chain 0, draw 0, West) of the selection equals the same row of the whole table.
    expect(table.getChild("beta")!.get(1)).toBe(whole.getChild("beta")!.get(3));
    expect(table.getChild("sigma")!.get(1)).toBe(whole.getChild("sigma")!.get(3));
  });

  it("selects numeric labels by their text, and narrows the data joined on that dimension", async () => {
    const table = await trace.extract("mu[obs_ind=3|10], constant_data/x");
    expect(table.numRows).toBe(4 * 400 * 2);
    expect(table.getChild("obs_ind")!.toArray().slice(0, 2)).toEqual(Uint8Array.from([3, 10]));
    const x = (await trace.extract("constant_data/x")).getChild("x")!;
    expect(table.getChild("x")!.get(0)).toBe(x.get(3));
    expect(table.getChild("x")!.get(1)).toBe(x.get(10));
  });

  it("says which label is unknown, what the labels are and the nearest one", async () => {
    const error = await specError("beta[groups=Nort]");
    expect(error.kind).toBe("label");
    expect(error.message).toBe("'groups' has no label 'Nort' (its labels are North, South, East, West): did you mean 'North'?");
    expect([error.start, error.end]).toEqual([12, 16]);
    const twice = await specError("beta[groups=North, groups=South]");
    expect(twice.message).toBe("dimension 'groups' is named twice for 'beta'");
  });

  it("reports a label missing after '=' and an unclosed quote", () => {
    expect(() => parseQuery("beta[groups=]")).toThrow("expected a label of 'groups' after '=' but found ']' at position 13");
    expect(() => parseQuery('beta[groups="North]')).toThrow("the label quoted at position 13 is never closed: add '\"'");
  });

  it("names an element and writes the spec that reads it back", async () => {
    expect(elementName("theta", ["Choate", 2019])).toBe("theta[Choate, 2019]");
    expect(elementName("sigma", [])).toBe("sigma");
    expect(elementSpec("theta", ["school", "year"], ["St. Paul's", 2019])).toBe('theta[school="St. Paul\'s", year=2019]');
    expect(selectionSpec("theta", ["school"], [["Choate", "Deerfield"]])).toBe("theta[school=Choate|Deerfield]");
    const back = await eight.extract(elementSpec("theta", ["school"], ["St. Paul's"]));
    expect(back.numRows).toBe(4 * 500);
    expect(back.getChild("school")!.get(0)).toBe("St. Paul's");
  });

  it("combines rows of the diagnostics table into one spec per variable", () => {
    const query = elementsQuery(
      [
        { group: "posterior", spec: "beta[groups=North]" },
        { group: "posterior", spec: "sigma" },
        { group: "posterior", spec: "beta[groups=East]" },
        { group: "prior", spec: "beta[groups=North]" },
      ],
      "posterior",
    );
    expect(query).toBe("beta[groups=North|East], sigma, prior/beta[groups=North]");
  });

  it("keeps an expression's rows as the expression, once", () => {
    const query = elementsQuery(
      [
        { group: "posterior", spec: "d = beta[groups] - beta[groups=North]" },
        { group: "posterior", spec: "sigma" },
        { group: "posterior", spec: "d = beta[groups] - beta[groups=North]" },
      ],
      "posterior",
    );
    expect(query).toBe("sigma, d = beta[groups] - beta[groups=North]");
  });
});
