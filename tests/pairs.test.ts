import { join } from "node:path";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { contourLines, density2d, massThresholds, type Grid2d } from "../src/engine/stats/density2d.ts";
import { tableShape } from "../src/engine/table-shape.ts";
import { resolveOptions } from "../src/panels/options.ts";
import { panel as pairsData, type MatrixData, type PairData } from "../src/panels/pairs/data.ts";
import { panView, zoomView } from "../src/panels/pairs/pan-zoom.ts";
import { panel as pairs } from "../src/panels/pairs/panel.ts";
import { PixelRaster, linearMap, parseColor, spatiallySorted } from "../src/panels/pairs/raster.ts";
import { divergences, jitteredPositions, pairColumns, readCodes, readNumbers, rowSample, PairsError } from "../src/panels/pairs/read.ts";
import { FIXTURES } from "./golden.ts";
import { drawsTable } from "./tidy-table.ts";

/** A reproducible standard normal sample (Box–Muller over a linear congruential generator). */
function normalDraws(n: number, seed: number): Float64Array {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

const cellArea = (grid: Grid2d) => grid.dx * grid.dy;
const total = (grid: Grid2d) => grid.density.reduce((a, v) => a + v, 0) * cellArea(grid);

describe("2-D density on a grid", () => {
  const x = normalDraws(4000, 3);
  const z = normalDraws(4000, 5);
  // y correlates with x (rho 0.6) and has twice its spread.
  const y = x.map((v, i) => 2 * (0.6 * v + 0.8 * z[i]));

  it("integrates to 1 over its grid", () => {
    const grid = density2d(x, y);
    expect(grid.n).toBe(4000);
    expect(total(grid)).toBeCloseTo(1, 3);
    expect(total(density2d(x.subarray(0, 50), y.subarray(0, 50), { points: 64 }))).toBeCloseTo(1, 3);
  });

  it("matches the direct sum of Gaussian kernels on a small sample", () => {
    const n = 40;
    const [hx, hy] = [0.45, 0.8];
    const grid = density2d(x.subarray(0, n), y.subarray(0, n), { bandwidth: [hx, hy], points: 96 });
    let worst = 0;
    let peak = 0;
    for (let j = 0; j < grid.ny; j += 5) {
      for (let i = 0; i < grid.nx; i += 5) {
        const gx = grid.x0 + i * grid.dx;
        const gy = grid.y0 + j * grid.dy;
        let direct = 0;
        for (let k = 0; k < n; k++) direct += Math.exp(-0.5 * (((gx - x[k]) / hx) ** 2 + ((gy - y[k]) / hy) ** 2));
        direct /= n * 2 * Math.PI * hx * hy;
        worst = Math.max(worst, Math.abs(grid.density[j * grid.nx + i] - direct));
        peak = Math.max(peak, direct);
      }
    }
    // Linear binning moves each draw by less than a grid step (about a fifth of a bandwidth here).
    expect(peak).toBeGreaterThan(0.05);
    expect(worst / peak).toBeLessThan(0.004);
  });

  it("spans the data and three bandwidths either side, with Scott's rule for two dimensions", () => {
    const grid = density2d(x, y, { points: 128 });
    // Scott: min(sd, IQR/1.34)·n^(-1/6); the sample sd of y is close to 2, of x close to 1.
    expect(grid.bandwidthX).toBeGreaterThan(0.95 * 4000 ** (-1 / 6));
    expect(grid.bandwidthX).toBeLessThan(1.05 * 4000 ** (-1 / 6));
    expect(grid.bandwidthY / grid.bandwidthX).toBeCloseTo(2, 0);
    expect(grid.x0).toBeCloseTo(Math.min(...x) - 3 * grid.bandwidthX, 10);
    expect(grid.x0 + 127 * grid.dx).toBeCloseTo(Math.max(...x) + 3 * grid.bandwidthX, 10);
  });

  it("leaves out pairs with a missing value", () => {
    const grid = density2d(Float64Array.of(0, NaN, 1, 2), Float64Array.of(0, 1, Infinity, 2));
    expect(grid.n).toBe(2);
  });

  it("finds levels whose upper sets hold the asked shares of the mass", () => {
    const grid = density2d(x, y);
    const shares = [0.5, 0.8, 0.95];
    massThresholds(grid, shares).forEach((level, k) => {
      const above = grid.density.reduce((a, v) => a + (v >= level ? v : 0), 0) * cellArea(grid);
      expect(Math.abs(above / total(grid) - shares[k])).toBeLessThan(0.001);
    });
  });

  it("draws closed contours of a single Gaussian as circles of the expected radius", () => {
    // One draw at the origin with unit bandwidths: the density at radius r is exp(-r²/2)/(2π).
    const grid = density2d(Float64Array.of(0), Float64Array.of(0), { bandwidth: [1, 1], points: 101 });
    for (const radius of [0.5, 1, 2]) {
      const level = Math.exp(-(radius ** 2) / 2) / (2 * Math.PI);
      const lines = contourLines(grid, level);
      expect(lines).toHaveLength(1);
      const { x: lx, y: ly } = lines[0];
      expect(lx.length).toBeGreaterThan(20);
      expect([lx[0], ly[0]]).toEqual([lx.at(-1), ly.at(-1)]);
      for (let i = 0; i < lx.length; i++) expect(Math.abs(Math.hypot(lx[i], ly[i]) - radius)).toBeLessThan(0.02 * radius + 0.01);
    }
  });

  it("has no lines at no level (a grid without mass gives a NaN threshold)", () => {
    const grid = density2d(Float64Array.of(0), Float64Array.of(0), { bandwidth: [1, 1], points: 21 });
    expect(contourLines(grid, Number.NaN)).toEqual([]);
    expect(contourLines({ ...grid, density: new Float64Array(grid.density.length) }, massThresholds({ ...grid, density: new Float64Array(grid.density.length) }, [0.5])[0])).toEqual([]);
  });

  it("joins the two hills of a bimodal density into two separate closed lines", () => {
    const px = Float64Array.of(-3, 3);
    const grid = density2d(px, Float64Array.of(0, 0), { bandwidth: [0.7, 0.7], points: 120 });
    const lines = contourLines(grid, 0.05);
    expect(lines).toHaveLength(2);
    const centres = lines.map((l) => l.x.reduce((a, v) => a + v, 0) / l.x.length).sort((a, b) => a - b);
    expect(centres[0]).toBeCloseTo(-3, 1);
    expect(centres[1]).toBeCloseTo(3, 1);
  });
});

const trace = await openPath(join(FIXTURES, "grouped_regression.zarr"));
const eight = await openPath(join(FIXTURES, "arviz", "centered_eight.zarr"));
const query = async (from: typeof trace, q: string, groups?: string[]) => tableFromIPC(tableToIPC(await from.extract(q, { groups }), "stream"));

describe("pairs options", () => {
  it("defaults beta[groups], sigma to beta against sigma, coloured by groups", async () => {
    const table = await query(trace, "beta[groups], sigma");
    const { options, notes } = resolveOptions(pairs, {}, tableShape(table));
    expect(options).toEqual({ x: "", y: "", color: "groups", layout: "pair", contours: false, divergences: true, jitter: 0.6 });
    expect(notes).toEqual([]);
    expect(pairColumns(table, "", "")).toEqual({ x: "beta", y: "sigma" });
    expect(pairColumns(table, "sigma", "")).toEqual({ x: "sigma", y: "beta" });
    expect(pairColumns(table, "", "beta")).toEqual({ x: "sigma", y: "beta" });
  });

  it("puts a lone value against its own dimension, and says when there is nothing to pair", async () => {
    expect(pairColumns(await query(trace, "beta[groups]"), "", "")).toEqual({ x: "beta", y: "groups" });
    // The divergence flag is not a value to draw.
    const flagged = await query(eight, "mu, sample_stats/diverging");
    expect(() => pairColumns(flagged, "", "")).toThrow(PairsError);
    expect(() => pairColumns(flagged, "", "")).toThrow("this table has only mu: add another spec");
  });

  it("colours stacked groups by their source", async () => {
    const table = await query(trace, "sigma", ["posterior", "prior"]);
    expect(resolveOptions(pairs, {}, tableShape(table)).options).toMatchObject({ color: "source" });
    expect(pairColumns(table, "", "")).toEqual({ x: "sigma", y: "source" });
  });
});

describe("reading a table for the scatter", () => {
  it("counts the centered eight schools' divergent draws, once per draw however many rows it has", async () => {
    const scalar = await query(eight, "mu, tau, sample_stats/diverging");
    const flags = scalar.getChild("diverging")!.toArray() as Int8Array;
    const expected = flags.reduce((a, f) => a + (f ? 1 : 0), 0);
    expect(expected).toBe(19);
    const found = divergences(scalar, Infinity)!;
    expect([found.draws, found.count]).toEqual([19, 19]);
    expect([...found.rows]).toEqual([...flags.keys()].filter((i) => flags[i]));
    const bySchool = await query(eight, "theta[school], sample_stats/diverging");
    const perSchool = divergences(bySchool, Infinity)!;
    expect(perSchool).toMatchObject({ draws: 19, count: 19 * 8 });
    expect(perSchool.rows).toHaveLength(19 * 8);
    // Beyond the limit, an even sample of the divergent rows, counted in full.
    const few = divergences(bySchool, 40)!;
    expect(few).toMatchObject({ draws: 19, count: 19 * 8 });
    expect(few.rows).toHaveLength(40);
    expect([...few.rows].every((r) => perSchool.rows.includes(r))).toBe(true);
    expect(divergences(await query(eight, "mu, tau"), Infinity)).toBeUndefined();
  });

  it("reads booleans as codes of false and true, and the example has no divergences", async () => {
    const table = await query(trace, "sigma, sample_stats/diverging");
    const { codes, labels } = readCodes(table, "diverging", rowSample(table.numRows, Infinity));
    expect(labels).toEqual(["false", "true"]);
    expect(codes).toHaveLength(1600);
    expect(codes.every((c) => c === 0)).toBe(true);
    expect(divergences(table, Infinity)).toEqual({ rows: new Int32Array(0), count: 0, draws: 0 });
  });

  it("takes one row at a seeded place in each of `count` equal runs, across record batches", () => {
    const batches = tableFromArrays({ v: Float64Array.from({ length: 7 }, (_, i) => i) }).concat(tableFromArrays({ v: Float64Array.from({ length: 6 }, (_, i) => 7 + i) }));
    expect(batches.batches).toHaveLength(2);
    expect(rowSample(13, 13)).toEqual({ total: 13, count: 13 });
    const sample = rowSample(13, 5);
    expect(sample).toMatchObject({ total: 13, count: 5 });
    // Runs [0, 2), [2, 5), [5, 7), [7, 10), [10, 13): one row from each, the same every time.
    [...sample.rows!].forEach((row, k) => {
      expect(row).toBeGreaterThanOrEqual(Math.floor((k * 13) / 5));
      expect(row).toBeLessThan(Math.floor(((k + 1) * 13) / 5));
    });
    expect(rowSample(13, 5)).toEqual(sample);
    expect([...readNumbers(batches, "v", sample)]).toEqual([...sample.rows!]);
  });

  it("jitters a level's rows within ±width/2 of it, the first level on top of a y axis", () => {
    const codes = Int32Array.from({ length: 4000 }, (_, i) => i % 4);
    const across = jitteredPositions(codes, 4, 0.6, false);
    const down = jitteredPositions(codes, 4, 0.6, true);
    for (let i = 0; i < codes.length; i++) {
      expect(Math.abs(across[i] - codes[i])).toBeLessThanOrEqual(0.3);
      expect(down[i] - (3 - codes[i])).toBeCloseTo(across[i] - codes[i], 12);
    }
    // Spread over the band, not piled up: both halves get about half the rows.
    const above = across.filter((p, i) => p > codes[i]).length;
    expect(Math.abs(above / codes.length - 0.5)).toBeLessThan(0.03);
    expect(jitteredPositions(codes, 4, 0.6, false)).toEqual(across);
    // A row sits where it sits among all rows, whichever sample it is read in.
    const rows = Int32Array.of(3, 17, 2024, 3999);
    const some = jitteredPositions(
      Int32Array.from(rows, (r) => codes[r]),
      4,
      0.6,
      false,
      rows,
    );
    expect([...some]).toEqual(Array.from(rows, (r) => across[r]));
  });
});

describe("drawing points into pixels", () => {
  it("maps a domain onto pixels linearly, flipped for y", () => {
    const x = linearMap(2, 6, 0, 400);
    expect(3 * x.scale + x.offset).toBe(100);
    const y = linearMap(-1, 1, 300, 0);
    expect(-1 * y.scale + y.offset).toBe(300);
    expect(0.5 * y.scale + y.offset).toBe(75);
  });

  it("reads the colours Plot's scales give", () => {
    expect(parseColor("#4269d0")).toBe(0x4269d0);
    expect(parseColor("#fa0")).toBe(0xffaa00);
    expect(parseColor("rgb(68, 1, 84)")).toBe(0x440154);
    expect(() => parseColor("teal")).toThrow("cannot read the colour 'teal'");
  });

  it("averages colours per pixel, grows opacity with the count, and skips what is outside or missing", () => {
    const raster = new PixelRaster(4, 2);
    const view = { x0: 0, x1: 4, y0: 0, y1: 2 };
    const rect = { left: 0, top: 0, width: 4, height: 2 };
    // Two points in pixel (0, 0) (top left: x in [0, 1), y in (1, 2]), red and blue; one green in (3, 1).
    const layer = {
      x: Float64Array.of(0.5, 0.6, 3.5, 9, NaN),
      y: Float64Array.of(1.5, 1.4, 0.5, 1, 1),
      color: Int32Array.of(0, 1, 2, 2, 2),
      palette: Uint32Array.of(0xff0000, 0x0000ff, 0x00ff00),
    };
    raster.clear();
    expect(raster.accumulate(layer, view, rect, 1)).toBe(3);
    raster.compose(0.5);
    const pixel = (px: number, py: number) => [...raster.pixels.subarray((py * 4 + px) * 4, (py * 4 + px) * 4 + 4)];
    expect(pixel(0, 0)).toEqual([127, 0, 127, Math.round(255 * 0.75)]);
    expect(pixel(3, 1)).toEqual([0, 255, 0, Math.round(255 * 0.5)]);
    expect(pixel(1, 0)).toEqual([0, 0, 0, 0]);
    // A stamped point covers what was composed, opaque.
    raster.stamp({ x: Float64Array.of(0.5), y: Float64Array.of(1.5), palette: Uint32Array.of(0xe6007e) }, view, rect, 1);
    expect(pixel(0, 0)).toEqual([0xe6, 0x00, 0x7e, 255]);
  });

  it("draws the same pixels from spatially sorted points, faster to walk", () => {
    const n = 20000;
    const x = normalDraws(n, 9);
    const y = normalDraws(n, 13);
    const color = Int32Array.from({ length: n }, (_, i) => i % 3);
    const layer = { x, y, color, palette: Uint32Array.of(0xff0000, 0x00ff00, 0x0000ff) };
    const view = { x0: -3, x1: 3, y0: -2, y1: 2 };
    const rect = { left: 2, top: 1, width: 60, height: 40 };
    const draw = (l: typeof layer | ReturnType<typeof spatiallySorted>) => {
      const raster = new PixelRaster(64, 42);
      raster.clear();
      const drawn = raster.accumulate(l, view, rect, 2);
      raster.compose(0.3);
      return { drawn, pixels: raster.pixels };
    };
    const plain = draw(layer);
    const sorted = draw(spatiallySorted(layer, view));
    expect(plain.drawn).toBeGreaterThan(15000);
    expect(sorted.drawn).toBe(plain.drawn);
    expect(sorted.pixels).toEqual(plain.pixels);
  });
});

describe("pan and zoom", () => {
  const view = { x0: 0, x1: 10, y0: -1, y1: 1 };

  it("zooms around the pointer: the data point under it stays put", () => {
    const zoomed = zoomView(view, 2, 0.25, 0.75);
    expect(zoomed).toEqual({ x0: 1.25, x1: 6.25, y0: -0.75, y1: 0.25 });
    // The point a quarter across and three quarters down is (2.5, -0.5) before and after.
    expect(zoomed.x0 + 0.25 * (zoomed.x1 - zoomed.x0)).toBe(2.5);
    expect(zoomed.y1 - 0.75 * (zoomed.y1 - zoomed.y0)).toBe(-0.5);
  });

  it("pans with the drag: right and down show what was left and above", () => {
    expect(panView(view, 0.1, 0.25)).toEqual({ x0: -1, x1: 9, y0: -0.5, y1: 1.5 });
  });
});

describe("pairs panel data (in the worker)", () => {
  it("beta against sigma: every row, coloured by group, with each group's contours", async () => {
    const table = await query(trace, "beta[groups], sigma");
    const options = { ...resolveOptions(pairs, {}, tableShape(table)).options, contours: true };
    const data = pairsData.data(table, options) as PairData;
    expect(data.layout).toBe("pair");
    expect([data.x.name, data.y.name, data.points, data.sample]).toEqual(["beta", "sigma", 6400, { total: 6400, count: 6400 }]);
    expect([...data.x.positions]).toEqual([...(table.getChild("beta")!.toArray() as Float64Array)]);
    expect([...data.y.positions]).toEqual([...(table.getChild("sigma")!.toArray() as Float64Array)]);
    expect(data.colour).toMatchObject({ kind: "categorical", column: "groups", labels: ["North", "South", "East", "West"] });
    // One set of three contour levels per group, each group's level index kept for its colour.
    expect(data.contours.map((c) => [c.level, c.levels.map((l) => l.share)])).toEqual([0, 1, 2, 3].map((g) => [g, [0.5, 0.8, 0.95]]));
    expect(data.contours.every((c) => c.levels.every((l) => l.lines.length > 0))).toBe(true);
    // No diverging column in the query: nothing flagged, and the caption will ask for it.
    expect(data.flagged).toBeUndefined();
    expect(data.divergent).toBeUndefined();
    // The home view pads the extents by 4%.
    const betas = data.x.positions;
    const [low, high] = [Math.min(...betas), Math.max(...betas)];
    expect(data.home.x0).toBeCloseTo(low - 0.04 * (high - low), 12);
    expect(data.home.x1).toBeCloseTo(high + 0.04 * (high - low), 12);
    expect(structuredClone(data)).toEqual(data);
    expect(pairsData.data(table, options)).toEqual(data);
  });

  it("the centered eight schools' divergent draws: where they are, drawn from every row", async () => {
    const table = await query(eight, "mu, tau, sample_stats/diverging");
    const data = pairsData.data(table, resolveOptions(pairs, {}, tableShape(table)).options) as PairData;
    const flags = table.getChild("diverging")!.toArray() as Int8Array;
    const flagged = [...flags.keys()].filter((i) => flags[i]);
    expect(data.flagged).toEqual({ count: 19, draws: 19, drawn: 19 });
    const mu = table.getChild("mu")!.toArray() as Float64Array;
    const tau = table.getChild("tau")!.toArray() as Float64Array;
    expect([...data.divergent!.x]).toEqual(flagged.map((i) => mu[i]));
    expect([...data.divergent!.y]).toEqual(flagged.map((i) => tau[i]));
    const off = pairsData.data(table, { ...resolveOptions(pairs, {}, tableShape(table)).options, divergences: false }) as PairData;
    expect([off.flagged, off.divergent]).toEqual([undefined, undefined]);
  });

  it("a scatter matrix: the first six number columns, a density per group on the diagonal, contours per cell", async () => {
    const table = await query(trace, "intercept[groups], beta[groups], sigma");
    const options = { ...resolveOptions(pairs, { layout: "matrix", contours: true }, tableShape(table)).options };
    const data = pairsData.data(table, options) as MatrixData;
    expect(data.layout).toBe("matrix");
    expect([data.columns, data.left, data.sample]).toEqual([["intercept", "beta", "sigma"], [], { total: 6400, count: 6400 }]);
    expect(data.densities.map((d) => d.map((g) => [g.level, g.x.length]))).toEqual([0, 1, 2].map(() => [0, 1, 2, 3].map((g) => [g, 128])));
    expect(data.contours).toHaveLength(3);
    expect(data.contours.every((sets) => sets.length === 4)).toBe(true);
    expect([...data.values[2]]).toEqual([...(table.getChild("sigma")!.toArray() as Float64Array)]);
    expect(structuredClone(data)).toEqual(data);
    const sigma = await query(trace, "sigma");
    expect(() => pairsData.data(sigma, options)).toThrow("a scatter matrix needs two number columns, and this table has only sigma");
  });

  describe("on 800,000 rows (4 chains × 1,000 draws × 200 parameters)", () => {
    const levels = Array.from({ length: 200 }, (_, i) => `p${i}`);
    // Every fifth draw diverges: 800 draws, 160,000 rows.
    const big = drawsTable(
      { chains: 4, draws: 1000, dim: "param", levels },
      { a: (c, d, l) => l + Math.sin(c * 1000 + d), b: (c, d, l) => -l + Math.cos(c * 1000 + d), diverging: (_c, d) => (d % 5 === 0 ? 1 : 0) },
    );
    const options = resolveOptions(pairs, {}, tableShape(big)).options;

    it("sends an even sample of 500,000 points over every parameter, and at most 100,000 divergent ones", () => {
      expect(options).toMatchObject({ color: "param" });
      const data = pairsData.data(big, options) as PairData;
      expect(data.sample).toEqual({ total: 800_000, count: 500_000 });
      expect(data.x.positions).toHaveLength(500_000);
      // No stride: the sample does not keep only some parameters of the cycle.
      const codes = (data.colour as { codes: Int32Array }).codes;
      expect(new Set(codes).size).toBe(200);
      expect(data.flagged).toEqual({ count: 160_000, draws: 800, drawn: 100_000 });
      expect(data.divergent!.x).toHaveLength(100_000);
      const bytes = [data.x.positions, data.y.positions, codes, data.divergent!.x, data.divergent!.y].reduce((a, v) => a + v.byteLength, 0);
      expect(bytes).toBe(500_000 * (8 + 8 + 4) + 100_000 * 16);
    });

    it("sends 200,000 rows for a matrix", () => {
      const data = pairsData.data(big, { ...options, layout: "matrix" }) as MatrixData;
      expect(data.columns).toEqual(["a", "b"]);
      expect(data.values.map((v) => v.length)).toEqual([200_000, 200_000]);
      expect(data.divergent!.map((v) => v.length)).toEqual([100_000, 100_000]);
    });
  });
});
