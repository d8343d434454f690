import { asBytes, dims, sampledGroup, V2_ROOT, writeStoreFolder, zarray } from "../tests/memory-store.ts";

/**
 * Write `wide.zarr` (consolidated) into a new temporary folder and return its path: posterior
 * `theta[param]` with `params` elements of `chains` × `draws` float64 draws, one chunk per chain.
 * Element p's draws are 10·p + sin(chain + draw·(p + 1)): deterministic, different per element, and
 * ordered by element (so sorting by the mean puts the last element first when descending).
 */
export function writeWideStore(params: number, chains: number, draws: number): string {
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ...V2_ROOT,
    ...sampledGroup("posterior", chains, draws),
    "posterior/param/.zarray": zarray("<i8", [params], [params]),
    "posterior/param/.zattrs": dims("param"),
    "posterior/param/0": asBytes(BigInt64Array.from({ length: params }, (_, i) => BigInt(i))),
    "posterior/theta/.zarray": zarray("<f8", [chains, draws, params], [1, draws, params]),
    "posterior/theta/.zattrs": dims("chain", "draw", "param"),
  };
  for (let chain = 0; chain < chains; chain++) {
    const values = new Float64Array(draws * params);
    for (let draw = 0; draw < draws; draw++) {
      for (let p = 0; p < params; p++) values[draw * params + p] = 10 * p + Math.sin(chain + draw * (p + 1));
    }
    files[`posterior/theta/${chain}.0.0`] = asBytes(values);
  }
  return writeStoreFolder("wide.zarr", files, true);
}
