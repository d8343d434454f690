import { join } from "node:path";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { splitByLabels } from "../src/engine/split.ts";
import { columnChoices, formatOption, initialOption, parseOption, resolveOptions } from "../src/panels/options.ts";
import type { DensityData } from "../src/panels/density/data.ts";
import { panelData } from "../src/panels/data-registry.ts";
import { panelKind, PANEL_KINDS } from "../src/panels/registry.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import type { PanelSpec } from "../src/panels/types.ts";
import { writeSchoolYearStore } from "../e2e/generated-store.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const query = async (q: string, groups?: string[]) => tableFromIPC(tableToIPC(await trace.extract(q, { groups }), "stream"));
const shape = async (q: string, groups?: string[]) => tableShape(await query(q, groups));
const density = panelKind("density")!;

describe("panel registry", () => {
  it("finds every panel folder's kind, in menu order", () => {
    expect(PANEL_KINDS.map((k) => k.kind)).toEqual(["density", "interval", "dots", "pairs", "contrast", "prior", "fit", "ppc", "trace", "rank", "sampler", "table"]);
  });
});

describe("panel kinds on the page and in the worker", () => {
  it("each has its data in the worker, and says it streams exactly when its data can come from elements read chunk by chunk", () => {
    for (const kind of PANEL_KINDS) {
      const data = panelData(kind.kind);
      expect(typeof data.data).toBe("function");
      expect(Boolean(kind.streams), kind.kind).toBe(data.streamed !== undefined);
      expect(Boolean(kind.derived), kind.kind).toBe(data.derived !== undefined);
    }
    expect(PANEL_KINDS.filter((k) => k.streams).map((k) => k.kind)).toEqual(["interval", "dots"]);
  });
});

describe("panel options for a table", () => {
  it("facets by the value's own dimension, and a scalar gets one curve", async () => {
    const table = await shape("beta[groups], sigma");
    expect(resolveOptions(density, {}, table)).toEqual({ options: { value: "beta", facet: "groups", color: "groups", layout: "facets", adjust: 1, bounds: "auto", fill: true, ref: "" }, notes: [] });
    expect(resolveOptions(density, { value: "sigma" }, table).options).toMatchObject({ facet: "", color: "" });
  });

  it("draws data (no chain or draw) as one density over all its rows", async () => {
    const table = await shape("observed_data/y[obs_ind]");
    expect(resolveOptions(density, {}, table).options).toMatchObject({ value: "y", facet: "", color: "" });
  });

  it("colours by source when groups are stacked", async () => {
    const table = await shape("beta[groups]", ["posterior", "prior"]);
    expect(resolveOptions(density, {}, table).options).toMatchObject({ facet: "groups", color: "source" });
  });

  it("keeps the user's choices, and says which columns this table lacks", async () => {
    const table = await shape("sigma");
    const resolved = resolveOptions(density, { value: "beta", facet: "groups", color: "", adjust: 2 }, table);
    expect(resolved.options).toEqual({ value: "sigma", facet: "", color: "", layout: "facets", adjust: 2, bounds: "auto", fill: true, ref: "" });
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

describe("level options", () => {
  const kind: PanelSpec = {
    kind: "levels",
    title: "Levels",
    order: 0,
    options: [
      { key: "value", label: "Value", type: "value" },
      { key: "against", label: "Against", type: "level", of: "dim" },
      { key: "dim", label: "Dimension", type: "dim" },
      { key: "maybe", label: "Maybe", type: "level", of: "dim", none: "none" },
    ],
  };

  it("offers the levels of the chosen dimension, and none for no dimension", async () => {
    const table = await shape("beta[groups], mu[obs_ind]");
    const level = kind.options[1];
    expect(columnChoices(level, table, { dim: "groups" })).toEqual(["North", "South", "East", "West"]);
    // Number labels come as text, in ascending order.
    expect(columnChoices(level, table, { dim: "obs_ind" }).slice(0, 3)).toEqual(["0", "1", "2"]);
    expect(columnChoices(level, table, { dim: "obs_ind" })).toHaveLength(96);
    expect(columnChoices(level, table, { dim: "" })).toEqual([]);
    expect(columnChoices(level, table)).toEqual([]);
  });

  it("default to the first level (or none), keep a valid choice, and note an invalid one", async () => {
    const table = await shape("beta[groups]");
    expect(resolveOptions(kind, {}, table)).toEqual({ options: { value: "beta", against: "North", dim: "groups", maybe: "" }, notes: [] });
    expect(resolveOptions(kind, { against: "West", maybe: "East" }, table).options).toMatchObject({ against: "West", maybe: "East" });
    const stacked = await shape("sigma", ["posterior", "prior"]);
    const resolved = resolveOptions(kind, { against: "West" }, stacked);
    expect(resolved.options).toMatchObject({ dim: "source", against: "posterior" });
    expect(resolved.notes).toEqual(["Against: 'West' is not a level of source"]);
  });

  it("read any text from a link (levels are checked against the table) and write it back as it is", () => {
    const level = kind.options[1];
    expect(parseOption(level, "North West")).toEqual({ value: "North West" });
    expect(formatOption(level, "3")).toBe("3");
  });
});

describe("what a new user tripped on", () => {
  const schools = openPath(writeSchoolYearStore());
  const schoolsTable = async (q: string) => tableFromIPC(tableToIPC(await (await schools).extract(q), "stream"));

  it("a density of theta[school, year] facets by school and colours by year; no curve pools the years", async () => {
    const table = await schoolsTable("theta");
    const { options } = resolveOptions(density, {}, tableShape(table));
    expect(options).toMatchObject({ facet: "school", color: "year" });
    const data = panelData("density").data(table, options) as DensityData;
    expect(data.name).toBe("Density of theta by school and year: 24 curves in 8 facets");
    expect(data.notes).toEqual([]);
    // Coloured by school as well: still a curve per year, and the caption says they look alike.
    const same = panelData("density").data(table, { ...options, color: "school" }) as DensityData;
    expect(same.curves).toHaveLength(24);
    expect(same.notes).toEqual(["Curves differing only in year look alike here: colour or facet by it to tell them apart, or hover a curve for its labels."]);
    // Overlaid, the facet dimension is not shown either.
    const overlaid = panelData("density").data(table, { ...options, facet: "year", color: "school", layout: "overlay" }) as DensityData;
    expect(overlaid.name).toBe("Density of theta by year and school: 24 curves");
    expect(overlaid.notes).toEqual(["Curves differing only in year look alike here: colour or facet by it to tell them apart, or hover a curve for its labels."]);
  });

  it("a chosen selection of one label is one curve per remaining element", async () => {
    const table = await schoolsTable(`theta[school="St. Paul's", year=2020|2021]`);
    const data = panelData("density").data(table, resolveOptions(density, {}, tableShape(table)).options) as DensityData;
    expect(data.curves.map((c) => c.keys)).toEqual([
      ["St. Paul's", 2020],
      ["St. Paul's", 2021],
    ]);
  });

  it("the Chains option offers the table's chains, and a chain it lacks falls back to all with a note", async () => {
    const trace = panelKind("trace")!;
    const chains = trace.options.find((o) => o.key === "chains")!;
    const table = tableShape(await schoolsTable("mu"));
    expect(columnChoices(chains, table)).toEqual(["0", "1"]);
    expect(resolveOptions(trace, { chains: "1" }, table).options.chains).toBe("1");
    const resolved = resolveOptions(trace, { chains: "7" }, table);
    expect(resolved.options.chains).toBe("all");
    expect(resolved.notes).toEqual(["Chains: this table has no chain '7', so all are shown"]);
  });

  it("the sampler panel opens on a statistic the query has", async () => {
    const sampler = panelKind("sampler")!;
    expect(resolveOptions(sampler, {}, await shape("sample_stats/tree_depth, sample_stats/step_size")).options.stat).toBe("tree_depth");
    expect(resolveOptions(sampler, {}, await shape("sample_stats/energy, sample_stats/tree_depth")).options.stat).toBe("energy");
    expect(resolveOptions(sampler, {}, await shape("sigma")).options.stat).toBe("energy");
    expect(resolveOptions(sampler, { stat: "energy" }, await shape("sample_stats/tree_depth")).options.stat).toBe("energy");
  });

  it("an option shows its default before a table resolves it", () => {
    expect(density.options.map(initialOption)).toEqual(["", "", "", "facets", "auto", 1, true, ""]);
    expect(initialOption(panelKind("trace")!.options.find((o) => o.key === "chains")!)).toBe("all");
  });
});
