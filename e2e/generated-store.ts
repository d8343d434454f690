import { asBytes, dims, sampledGroup, utf32, V2_ROOT, writeStoreFolder, zarray } from "../tests/memory-store.ts";

/** The generated trace's size: 4 chains × 1000 draws × 100 parameters = 400,000 rows. */
export const CHAINS = 4;
export const DRAWS = 1000;
export const PARAMS = 100;
/** Draws flagged as divergent: every 500th draw of each chain, starting at draw 7. */
export const DIVERGENT_DRAWS = Array.from({ length: CHAINS * 2 }, (_, k) => ({ chain: k >> 1, draw: 7 + 500 * (k & 1) }));

/** A seeded uniform generator (mulberry32), so every run writes the same draws. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Write `pairs400k.zarr` (consolidated, as xarray writes it) into a new temporary folder and return
 * its path: posterior `a[param]` and
 * `b[param]` (float64, one chunk per chain; b correlates with a, and both shift with the
 * parameter) and `sample_stats/diverging` (bool) with DIVERGENT_DRAWS set.
 */
export function writeGeneratedStore(): string {
  const random = uniform(2026);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ...V2_ROOT,
    ...sampledGroup("posterior", CHAINS, DRAWS),
    "posterior/param/.zarray": zarray("<i8", [PARAMS], [PARAMS]),
    "posterior/param/.zattrs": dims("param"),
    "posterior/param/0": asBytes(BigInt64Array.from({ length: PARAMS }, (_, i) => BigInt(i))),
    "posterior/a/.zarray": zarray("<f8", [CHAINS, DRAWS, PARAMS], [1, DRAWS, PARAMS]),
    "posterior/a/.zattrs": dims("chain", "draw", "param"),
    "posterior/b/.zarray": zarray("<f8", [CHAINS, DRAWS, PARAMS], [1, DRAWS, PARAMS]),
    "posterior/b/.zattrs": dims("chain", "draw", "param"),
  };
  // One chunk per chain; b correlates with a, and both shift with the parameter.
  for (let chain = 0; chain < CHAINS; chain++) {
    const a = new Float64Array(DRAWS * PARAMS);
    const b = new Float64Array(DRAWS * PARAMS);
    for (let i = 0; i < DRAWS * PARAMS; i++) {
      const param = i % PARAMS;
      a[i] = param / 25 + normal();
      b[i] = 0.6 * a[i] - param / 50 + 0.8 * normal();
    }
    files[`posterior/a/${chain}.0.0`] = asBytes(a);
    files[`posterior/b/${chain}.0.0`] = asBytes(b);
  }
  const diverging = new Uint8Array(CHAINS * DRAWS);
  for (const { chain, draw } of DIVERGENT_DRAWS) diverging[chain * DRAWS + draw] = 1;
  Object.assign(files, {
    ...sampledGroup("sample_stats", CHAINS, DRAWS),
    "sample_stats/diverging/.zarray": zarray("|b1", [CHAINS, DRAWS], [CHAINS, DRAWS]),
    "sample_stats/diverging/.zattrs": dims("chain", "draw"),
    "sample_stats/diverging/0.0": diverging,
  });
  return writeStoreFolder("pairs400k.zarr", files, true);
}

/** The eight schools of ArviZ's example, as its coordinates name them. */
export const SCHOOLS = ["Choate", "Deerfield", "Phillips Andover", "Phillips Exeter", "Hotchkiss", "Lawrenceville", "St. Paul's", "Mt. Hermon"];
/** Years of the school-by-year trace: integer labels, as xarray writes an int64 coordinate. */
export const YEARS = [2019, 2020, 2021];

/**
 * Write `schools_by_year.zarr` into a new temporary folder and return its path: posterior
 * `theta[school, year]` (2 chains × 200 draws; each school's mean shifts by year) and `mu`, and a
 * `sample_stats` group with `diverging` and `lp` but no energy, tree depth or step size, as some
 * samplers write it.
 */
export function writeSchoolYearStore(): string {
  const random = uniform(8);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const chains = 2;
  const draws = 200;
  const theta = new Float64Array(chains * draws * SCHOOLS.length * YEARS.length);
  for (let i = 0; i < theta.length; i++) {
    const year = i % YEARS.length;
    const school = Math.floor(i / YEARS.length) % SCHOOLS.length;
    theta[i] = school - 3 + 2 * year + normal();
  }
  const mu = Float64Array.from({ length: chains * draws }, () => 4 + normal());
  const nameBytes = 4 * Math.max(...SCHOOLS.map((s) => s.length));
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ...V2_ROOT,
    ...sampledGroup("posterior", chains, draws),
    "posterior/school/.zarray": zarray(`<U${nameBytes / 4}`, [SCHOOLS.length], [SCHOOLS.length]),
    "posterior/school/.zattrs": dims("school"),
    "posterior/school/0": utf32(SCHOOLS, nameBytes / 4),
    "posterior/year/.zarray": zarray("<i8", [YEARS.length], [YEARS.length]),
    "posterior/year/.zattrs": dims("year"),
    "posterior/year/0": asBytes(BigInt64Array.from(YEARS, BigInt)),
    "posterior/theta/.zarray": zarray("<f8", [chains, draws, SCHOOLS.length, YEARS.length], [1, draws, SCHOOLS.length, YEARS.length]),
    "posterior/theta/.zattrs": dims("chain", "draw", "school", "year"),
    "posterior/theta/0.0.0.0": asBytes(theta.subarray(0, theta.length / 2)),
    "posterior/theta/1.0.0.0": asBytes(theta.subarray(theta.length / 2)),
    "posterior/mu/.zarray": zarray("<f8", [chains, draws], [chains, draws]),
    "posterior/mu/.zattrs": dims("chain", "draw"),
    "posterior/mu/0.0": asBytes(mu),
    ...sampledGroup("sample_stats", chains, draws),
    "sample_stats/diverging/.zarray": zarray("|b1", [chains, draws], [chains, draws]),
    "sample_stats/diverging/.zattrs": dims("chain", "draw"),
    "sample_stats/diverging/0.0": new Uint8Array(chains * draws),
    "sample_stats/lp/.zarray": zarray("<f8", [chains, draws], [chains, draws]),
    "sample_stats/lp/.zattrs": dims("chain", "draw"),
    "sample_stats/lp/0.0": asBytes(Float64Array.from({ length: chains * draws }, () => -20 + normal())),
  };
  return writeStoreFolder("schools_by_year.zarr", files, true);
}
