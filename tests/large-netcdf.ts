import h5wasm from "h5wasm/node";

const CHAINS = 4;
const DRAWS = 1000;
/** Parameters per chunk of theta: chunks of 1 chain × 1000 draws × 1000 parameters, 8 MB, uncompressed. */
const CHUNK_PARAMS = 1000;

/** theta's value at chain c, draw d, parameter p: every draw tells where it came from. */
export const thetaAt = (c: number, d: number, p: number) => c * 1e9 + d * 1e5 + p;
/** sigma's value at chain c, draw d. */
export const sigmaAt = (c: number, d: number) => c + d / 1000;

/**
 * Write a netCDF-4 file as ArviZ lays one out (groups, dimension scales, _NCProperties) whose
 * posterior holds `theta` of 4 chains × 1000 draws × `params` uncompressed float64 values
 * (params = 70,000 makes a 2.24 GB file, past 2 GiB of offsets) and a small `sigma`, to show that
 * a query for sigma reads only sigma's bytes of it.
 */
export async function writeLargeNetcdf(path: string, params: number): Promise<void> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, "w");
  const posterior = file.create_group("posterior");
  const index = (n: number) => BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
  posterior.create_dataset({ name: "chain", data: index(CHAINS) }).make_scale("chain");
  posterior.create_dataset({ name: "draw", data: index(DRAWS) }).make_scale("draw");
  posterior.create_dataset({ name: "param", data: index(params) }).make_scale("param");
  const sigma = posterior.create_dataset({ name: "sigma", data: Float64Array.from({ length: CHAINS * DRAWS }, (_, i) => sigmaAt(Math.floor(i / DRAWS), i % DRAWS)), shape: [CHAINS, DRAWS] });
  ["chain", "draw"].forEach((dim, axis) => sigma.attach_scale(axis, `/posterior/${dim}`));
  // Grown to its size and written a chunk at a time, so the writer never holds it whole either.
  const theta = posterior.create_dataset({ name: "theta", data: new Float64Array(0), shape: [CHAINS, DRAWS, 0], maxshape: [CHAINS, DRAWS, null], chunks: [1, DRAWS, CHUNK_PARAMS] });
  theta.resize([CHAINS, DRAWS, params]);
  for (let c = 0; c < CHAINS; c++) {
    for (let start = 0; start < params; start += CHUNK_PARAMS) {
      const width = Math.min(CHUNK_PARAMS, params - start);
      const slab = new Float64Array(DRAWS * width);
      for (let d = 0; d < DRAWS; d++) for (let j = 0; j < width; j++) slab[d * width + j] = thetaAt(c, d, start + j);
      theta.write_slice(
        [
          [c, c + 1],
          [0, DRAWS],
          [start, start + width],
        ],
        slab,
      );
    }
  }
  ["chain", "draw", "param"].forEach((dim, axis) => theta.attach_scale(axis, `/posterior/${dim}`));
  posterior.create_attribute("inference_library", "drawscope tests");
  file.create_attribute("_NCProperties", "version=2,netcdf=4.9.2,hdf5=1.14.6");
  file.close();
}
