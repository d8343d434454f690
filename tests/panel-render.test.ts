// @vitest-environment jsdom
// Panels' render() under a DOM, as Observable Plot tests its plots: each figure's SVG is kept in
// tests/snapshots/, so a change to how a panel draws is seen in review, not only in e2e pictures.
import { describe, expect, it } from "vitest";
import type { ContrastData } from "../src/panels/contrast/data.ts";
import type { DensityData } from "../src/panels/density/data.ts";
import { panelKind } from "../src/panels/registry.ts";
import { markup } from "./render-markup.ts";

/** A standard normal density on `n` points from -3 to 3, shifted by `shift`. */
function normal(shift: number, n = 25) {
  const x = Float64Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1) + shift);
  const density = Float64Array.from(x, (v) => Math.exp(-0.5 * (v - shift) ** 2) / Math.sqrt(2 * Math.PI));
  return { x, density, bandwidth: 0.3, n: 400 };
}

/** theta[school, year] of two schools and two years: faceted by school, coloured by year. */
const schools: DensityData = {
  curves: [
    { keys: ["Choate", 2019], estimate: normal(0) },
    { keys: ["Choate", 2020], estimate: normal(1) },
    { keys: ["St. Paul's", 2019], estimate: normal(-1) },
    { keys: ["St. Paul's", 2020], estimate: normal(0.5) },
  ],
  layout: "facets",
  split: "school",
  levels: ["Choate", "St. Paul's"],
  color: "year",
  colorLabels: [2019, 2020],
  by: ["school", "year"],
  value: "theta",
  bounds: {},
  name: "Density of theta by school and year: 4 curves in 2 facets",
  estimation: "Gaussian KDE",
  notes: [],
};

const OPTIONS = { value: "theta", facet: "school", color: "year", layout: "facets", bounds: "auto", adjust: 1, fill: true, ref: "" };

describe("density panel's figure", () => {
  const density = panelKind("density")!;

  it("facets by school with a colour per year, years written as 2019", async () => {
    const figure = density.render(schools, OPTIONS, { width: 640, query: "theta", shape: { numRows: 0, columns: [], levels: {} } });
    expect(figure.name).toBe("Density of theta by school and year: 4 curves in 2 facets");
    await expect(markup(figure.node)).toMatchFileSnapshot("./snapshots/density-facets.svg");
  });

  it("as a ridgeline, with a reference line", async () => {
    const figure = density.render({ ...schools, layout: "ridgeline" }, { ...OPTIONS, layout: "ridgeline", ref: "0.5" }, { width: 640, query: "theta", shape: { numRows: 0, columns: [], levels: {} } });
    await expect(markup(figure.node)).toMatchFileSnapshot("./snapshots/density-ridgeline.svg");
  });
});

describe("contrast panel's figure", () => {
  const contrast = panelKind("contrast")!;
  /** A contrast row: its label, median, 89% and 50% intervals, and draws above zero of 400. */
  const row = (label: string, point: number, above: number) => ({
    keys: [label],
    label,
    summary: {
      point,
      intervals: [
        { prob: 0.89, lower: point - 1.5, upper: point + 1.5 },
        { prob: 0.5, lower: point - 0.6, upper: point + 0.6 },
      ],
      n: 400,
    },
    above,
  });
  const data: ContrastData = {
    value: "theta",
    dim: "school",
    mode: "pairs",
    point: "median",
    interval: "eti",
    probs: [0.89, 0.5],
    rows: [row("2019 · Phillips Andover - Choate", 1.2, 300), row("2019 · St. Paul's - Choate", 2.5, 399), row("2019 · St. Paul's - Phillips Andover", -0.4, 150)],
    notes: [],
  };

  it("long pair labels cut to the margin, P(>0) bounded where it is", async () => {
    const options = { value: "theta", dim: "school", mode: "pairs", level: "Choate", point: "median", interval: "eti", prob: 0.89, inner: 0.5 };
    const figure = contrast.render(data, options, { width: 640, query: "theta", shape: { numRows: 0, columns: [], levels: {} } });
    expect(figure.name).toBe("Contrasts of theta between school, all pairs: 3 rows");
    await expect(markup(figure.node)).toMatchFileSnapshot("./snapshots/contrast-pairs.svg");
  });
});
