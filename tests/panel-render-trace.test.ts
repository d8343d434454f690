// @vitest-environment jsdom
// Every panel kind's render() on data its worker half computed from the golden trace
// (grouped_regression.zarr), kept as SVG in tests/snapshots/ so a figure's change shows in review.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPathStore } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { panelData } from "../src/panels/data-registry.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { renderParetoK } from "../src/panels/loo/k-plot.ts";
import { panelKind } from "../src/panels/registry.ts";
import { FIXTURES } from "./golden.ts";
import { inThreadPool } from "./in-thread-pool.ts";
import { markup } from "./render-markup.ts";

// Chunks decode on this thread: the DOM environment cannot start Node's pool workers.
const trace = await openTrace(await openPathStore(join(FIXTURES, "grouped_regression.zarr")), { pool: inThreadPool(1) });

async function figureOf(kind: string, query: string, stored: Record<string, string | number | boolean> = {}, groups?: string[]) {
  const table = await trace.extract(query, groups ? { groups } : undefined);
  const shape = tableShape(table);
  const panel = panelKind(kind)!;
  const { options } = resolveOptions(panel, stored, shape);
  const data = panelData(kind).data(table, options);
  return panel.render(data, options, { width: 640, query, shape });
}

describe("each panel's figure of the golden trace", () => {
  const cases: [string, string, Record<string, string | number | boolean>?, string[]?][] = [
    ["interval", "beta[groups], sigma"],
    ["dots", "sigma"],
    ["trace", "sigma"],
    ["rank", "sigma"],
    ["pairs", 'beta[groups="North"], sigma', { contours: true }],
    ["sampler", "sample_stats/energy, sample_stats/diverging"],
    ["fit", "mu[obs_ind]"],
    ...["density", "ecdf", "pit", "stat", "intervals"].map((view): [string, string, Record<string, string | number>] => ["ppc", "posterior_predictive/y, observed_data/y", { view, ndraws: 5 }]),
    ["prior", "sigma", {}, ["posterior", "prior"]],
  ];
  for (const [kind, query, stored, groups] of cases) {
    const file = kind === "ppc" ? `ppc-${stored?.view}` : kind;
    it(`${file} of ${query}`, async () => {
      const figure = await figureOf(kind, query, stored, groups);
      expect(figure.name).toMatch(/\S/);
      await expect(markup(figure.node)).toMatchFileSnapshot(`./snapshots/${file}.svg`);
    });
  }
});

describe("the PSIS-LOO section's figure", () => {
  it("Pareto k of the centered eight schools, with loo's threshold", async () => {
    const eight = await openTrace(await openPathStore(join(FIXTURES, "arviz", "centered_eight.zarr")), { pool: inThreadPool(1) });
    const result = await eight.loo();
    const node = renderParetoK({ ...result, labels: result.labels.map((l) => l.map(String)), model: "centered_eight" }, 640, () => undefined, 3);
    // The x axis names the schools, one tick each, not their positions 0 … 7.
    const ticks = [...node.querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(["Choate", "Deerfield", "Phillips Andover", "Phillips Exeter", "Hotchkiss", "Lawrenceville", "St. Paul's", "Mt. Hermon"]);
    await expect(markup(node)).toMatchFileSnapshot("./snapshots/loo-pareto-k.svg");
  });
});
