import { join } from "node:path";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { splitByLabels } from "../src/engine/split.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panelKind, PANEL_KINDS } from "../src/panels/registry.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const query = async (q: string, groups?: string[]) => tableFromIPC(tableToIPC(await trace.extract(q, { groups }), "stream"));
const density = panelKind("density")!;

describe("panel registry", () => {
  it("finds every *.panel.ts kind, in menu order", () => {
    expect(PANEL_KINDS.map((k) => k.kind)).toEqual(["density", "table"]);
  });
});

describe("panel options for a table", () => {
  it("facets by the value's own dimension, and a scalar gets one curve", async () => {
    const table = await query("beta[groups], sigma");
    expect(resolveOptions(density, {}, table)).toEqual({ options: { value: "beta", facet: "groups", color: "groups", adjust: 1, fill: true }, notes: [] });
    expect(resolveOptions(density, { value: "sigma" }, table).options).toMatchObject({ facet: "", color: "" });
  });

  it("draws data (no chain or draw) as one density over all its rows", async () => {
    const table = await query("observed_data/y[obs_ind]");
    expect(resolveOptions(density, {}, table).options).toMatchObject({ value: "y", facet: "", color: "" });
  });

  it("colours by source when groups are stacked", async () => {
    const table = await query("beta[groups]", ["posterior", "prior"]);
    expect(resolveOptions(density, {}, table).options).toMatchObject({ facet: "groups", color: "source" });
  });

  it("keeps the user's choices, and says which columns this table lacks", async () => {
    const table = await query("sigma");
    const resolved = resolveOptions(density, { value: "beta", facet: "groups", color: "", adjust: 2 }, table);
    expect(resolved.options).toEqual({ value: "sigma", facet: "", color: "", adjust: 2, fill: true });
    expect(resolved.notes).toEqual(["Value: this table has no column 'beta'", "Facet by: this table has no column 'groups'"]);
  });
});

describe("splitting rows by labels", () => {
  it("gives each group's draws in table order, matching the golden table", async () => {
    const table = await query("beta[groups]");
    const { groups, labels } = splitByLabels(table, "beta", ["groups"]);
    expect(labels).toEqual([["North", "South", "East", "West"]]);
    const golden = goldenCsv("grouped_regression.expected", "case01.csv.gz");
    const [g, b] = ["groups", "beta"].map((c) => golden.header.indexOf(c));
    for (const { keys, values } of groups) {
      const expected = golden.rows.filter((r) => r[g] === keys[0]).map((r) => Number(r[b]));
      expect(values.length).toBe(1600);
      expect([...values].sort()).toEqual(expected.sort());
    }
  });

  it("gathers only the first groups up to a limit, and counts them all", async () => {
    const table = await query("mu[obs_ind]", ["posterior", "prior"]);
    const all = splitByLabels(table, "mu", ["source", "obs_ind"]);
    const some = splitByLabels(table, "mu", ["source", "obs_ind"], 10);
    expect(all.total).toBe(192);
    expect(some.total).toBe(192);
    expect(some.groups.map((g) => g.keys)).toEqual(all.groups.slice(0, 10).map((g) => g.keys));
    expect(some.groups[9].values).toEqual(all.groups[9].values);
    expect(all.groups[100].keys).toEqual(["prior", 4]);
    expect(all.groups[100].values.length).toBe(400);
  });
});
