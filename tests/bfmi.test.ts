import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { numberBatches } from "../src/engine/columns.ts";
import { BFMI_THRESHOLD, bfmi } from "../src/engine/stats/bfmi.ts";
import { openPath } from "../src/engine/store/node.ts";
import { FIXTURES } from "./golden.ts";

/**
 * E-BFMI per chain computed with numpy (1.24) from the stores read by zarr-python, as ArviZ's `bfmi`
 * does (mean squared difference over the variance with ddof = 1), in fixtures/:
 *
 *   /usr/bin/python3 -c "import zarr, numpy as np; e = zarr.open('grouped_regression.zarr', mode='r')['sample_stats/energy'][:];
 *     print([repr(float(x)) for x in np.square(np.diff(e, axis=1)).mean(axis=1) / np.var(e, axis=1, ddof=1)])"
 *
 * and the same with 'arviz/centered_eight.zarr'.
 */
const NUMPY_BFMI: Record<string, number[]> = {
  "grouped_regression.zarr": [1.6573617042687914, 1.6586221639091265, 1.746883454777559, 1.9471066919775097],
  "arviz/centered_eight.zarr": [0.28671974347062595, 0.37830053616004, 0.34555751447257665, 0.32426828239603145],
};

/** Each chain's energies in draw order (these stores hold sample_stats/energy as one C-order chunk: chain, then draw). */
async function energies(store: string): Promise<Float64Array[]> {
  const trace = await openPath(join(FIXTURES, store));
  const table = await trace.extract(["sample_stats/energy"]);
  const chain = numberBatches(table, "chain").flatMap((b) => Array.from(b));
  const draw = numberBatches(table, "draw").flatMap((b) => Array.from(b));
  const energy = numberBatches(table, "energy").flatMap((b) => Array.from(b));
  const chains = Math.max(...chain) + 1;
  const out = Array.from({ length: chains }, () => new Float64Array(energy.length / chains));
  energy.forEach((e, i) => (out[chain[i]][draw[i]] = e));
  return out;
}

describe("E-BFMI", () => {
  for (const [store, expected] of Object.entries(NUMPY_BFMI)) {
    it(`matches numpy per chain on ${store} to 1e-12`, async () => {
      const chains = await energies(store);
      expect(chains).toHaveLength(expected.length);
      chains.forEach((energy, c) => {
        const value = bfmi(energy);
        expect(Math.abs(value - expected[c]) / expected[c]).toBeLessThan(1e-12);
      });
    });
  }

  it("flags centered eight's first chain, and only it, below 0.3", async () => {
    const flagged = (await energies("arviz/centered_eight.zarr")).map((e) => bfmi(e) < BFMI_THRESHOLD);
    expect(flagged).toEqual([true, false, false, false]);
  });

  it("is the ratio of the two sums on a hand-worked chain", () => {
    // Differences 1, 1, -3 square to 11; the mean is 0.5 and the deviations -0.5, 0.5, 1.5, -1.5 square to 5.
    expect(bfmi([0, 1, 2, -1])).toBeCloseTo(2.2, 14);
    // Shifting every energy changes nothing.
    expect(bfmi([1000, 1001, 1002, 999])).toBeCloseTo(2.2, 10);
    expect(bfmi([1, 2, 3])).toBe(1);
  });

  it("is NaN without spread, with under two draws, or with a NaN draw", () => {
    expect(bfmi([2, 2, 2])).toBeNaN();
    expect(bfmi([1])).toBeNaN();
    expect(bfmi([1, NaN, 3])).toBeNaN();
  });
});
