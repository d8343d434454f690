import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tableColumns } from "../src/engine/columns.ts";
import type { DiagnosedBlock } from "../src/engine/diagnose.ts";
import { diagnosticsTable } from "../src/engine/diagnostics-output.ts";
import { stackModels } from "../src/engine/stack-models.ts";
import { openPath } from "../src/engine/store/node.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import type { IntervalData } from "../src/panels/interval/data.ts";
import { panelData } from "../src/panels/data-registry.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panelKind } from "../src/panels/registry.ts";
import { FIXTURES } from "./golden.ts";

const [centered, nonCentered] = await Promise.all(["arviz/centered_eight.zarr", "arviz/non_centered_eight.v3.zarr"].map((p) => openPath(join(FIXTURES, p))));

describe("several models' tables of one query", () => {
  it("stack with a model column (a dimension), the labels united and every value kept, row for row", async () => {
    const [a, b] = await Promise.all([centered, nonCentered].map((t) => t.extract("theta[school], mu, sample_stats/diverging")));
    const stacked = stackModels([
      { name: "centered", table: a },
      { name: "non-centered", table: b },
    ]);
    expect(stacked.numRows).toBe(a.numRows + b.numRows);
    expect(tableColumns(stacked).map((c) => `${c.name}:${c.role}`)).toEqual(["model:dim", "chain:sample", "draw:sample", "school:dim", "theta:value", "mu:value", "diverging:value"]);
    // Every value varies over the model: it leads the value's dimensions.
    expect(tableColumns(stacked).find((c) => c.name === "theta")!.dims).toEqual(["model", "school"]);
    for (const [offset, table, name] of [
      [0, a, "centered"],
      [a.numRows, b, "non-centered"],
    ] as const) {
      for (const row of [0, 1234, table.numRows - 1]) {
        const r = offset + row;
        expect(stacked.getChild("model")!.get(r)).toBe(name);
        for (const column of ["chain", "draw", "school", "theta", "mu", "diverging"]) expect(stacked.getChild(column)!.get(r)).toEqual(table.getChild(column)!.get(row));
      }
    }
  });

  it("refuse queries that give the models different columns, saying which", async () => {
    const [a, b] = await Promise.all([centered.extract("mu"), nonCentered.extract("theta_t[school]")]);
    expect(() =>
      stackModels([
        { name: "centered", table: a },
        { name: "non-centered", table: b },
      ]),
    ).toThrow("the query gives centered and non-centered different columns (mu is in one only): models are compared on queries that read the same variables in each");
  });
});

describe("the diagnostics rows of several models", () => {
  it("name each element with its model, so the filter can pick one", async () => {
    const blocks: DiagnosedBlock[] = [];
    await centered.diagnose({ kind: "query", query: "mu, theta[school]", groups: ["posterior"] }, { onBlock: (block) => blocks.push(block) });
    const named = blocks.flatMap((block) => [...diagnosticsTable(block, "centered").getChild("element")!].map(String));
    expect(named).toContain("centered: mu");
    expect(named).toContain("centered: theta[Choate]");
    expect([...diagnosticsTable(blocks[0]).getChild("element")!].map(String).every((n) => !n.startsWith("centered: "))).toBe(true);
  });
});

describe("panels on several models", () => {
  it("default to one forest of the schools with the models dodged, and densities per school coloured by model", async () => {
    const [a, b] = await Promise.all([centered, nonCentered].map((t) => t.extract("theta[school]")));
    const stacked = stackModels([
      { name: "centered", table: a },
      { name: "non-centered", table: b },
    ]);
    const shape = tableShape(stacked);
    const interval = resolveOptions(panelKind("interval")!, {}, shape).options;
    expect(interval.color).toBe("model");
    const forest = panelData("interval").data(stacked, interval) as IntervalData;
    expect(forest.dodge).toBe(true);
    expect(forest.rows).toHaveLength(8);
    expect(forest.colors).toEqual(["centered", "non-centered"]);
    const density = resolveOptions(panelKind("density")!, {}, shape).options;
    expect([density.facet, density.color]).toEqual(["school", "model"]);
    const contrast = resolveOptions(panelKind("contrast")!, {}, shape).options;
    expect(contrast.dim).toBe("school");
  });
});
