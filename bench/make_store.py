#!/usr/bin/python3
"""Write the benchmark posterior as a Zarr v2 DataTree store, laid out the way ArviZ/xarray write it.

  make_store.py DST.zarr [--chunks C,D,P] [--name NAME --dim DIM --size N --index-labels] [--log-likelihood]

One variable, posterior/theta (chain, draw, param) = 4 x 1000 x 10,000 float64 standard normals,
with its coordinate arrays chain, draw (int64) and param ('<U6' "p00000".."p09999"), each array
carrying xarray's _ARRAY_DIMENSIONS, and consolidated metadata (.zmetadata). --name, --dim and
--size rename and resize the variable and its last dimension (mu[obs] of 100,000 is 3 GiB);
--index-labels labels that dimension 0..N-1 (int64), as ArviZ does one without coordinates.
--log-likelihood writes the variable into log_likelihood instead of posterior, each value the
standard normal log density of the draw, log N(z | 0, 1): a pointwise log-likelihood for PSIS-LOO.
Plain zarr rather than xarray so that only python3-zarr is needed; the attributes, fill values
and compressor are the ones xarray 2023 + zarr 2.13 produce. Without --chunks, theta gets zarr's default chunking, which is what
`InferenceData.to_zarr()` gives users for in-memory draws.
"""
import argparse
import datetime

import numpy as np
import zarr
from numcodecs import Blosc

CHAINS, DRAWS, PARAMS = 4, 1000, 10_000
SEED = 20240601
# zarr's default compressor, which xarray keeps when the user names none.
COMPRESSOR = Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dst")
    parser.add_argument("--chunks", type=lambda s: tuple(int(n) for n in s.split(",")),
                        help="theta's chunk shape, e.g. 4,1000,100 (default: zarr's guess)")
    parser.add_argument("--name", default="theta", help="the variable's name (default theta)")
    parser.add_argument("--dim", default="param", help="its last dimension's name (default param)")
    parser.add_argument("--size", type=int, default=PARAMS, help=f"that dimension's length (default {PARAMS})")
    parser.add_argument("--index-labels", action="store_true", help="label it 0..N-1 (int64) instead of p00000, p00001, ...")
    parser.add_argument("--log-likelihood", action="store_true", help="a log_likelihood group of normal log densities instead of posterior draws")
    return parser.parse_args()


def add_coord(group, name, values):
    # xarray gives dimension coordinates no _FillValue, so zarr stores fill_value null.
    arr = group.create_dataset(name, data=values, compressor=COMPRESSOR, fill_value=None)
    arr.attrs["_ARRAY_DIMENSIONS"] = [name]


def add_variable(group, name, dim, size, chunks, log_likelihood=False):
    shape = (CHAINS, DRAWS, size)
    # xarray's CF encoding gives floats a NaN _FillValue, which it moves into .zarray.
    extra = {"chunks": chunks} if chunks else {}
    arr = group.create_dataset(name, shape=shape, dtype="<f8", compressor=COMPRESSOR,
                               fill_value=np.nan, **extra)
    # A chain at a time keeps a 3 GiB variable out of memory; the draws are the same as in one call.
    rng = np.random.default_rng(SEED)
    for chain in range(CHAINS):
        z = rng.standard_normal(shape[1:])
        arr[chain] = -0.5 * z * z - 0.5 * np.log(2 * np.pi) if log_likelihood else z
    arr.attrs["_ARRAY_DIMENSIONS"] = ["chain", "draw", dim]


def main():
    args = parse_args()
    root = zarr.open_group(args.dst, mode="w")
    posterior = root.create_group("log_likelihood" if args.log_likelihood else "posterior")
    posterior.attrs.update({
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "inference_library": "drawscope-bench",
    })
    add_coord(posterior, "chain", np.arange(CHAINS, dtype="int64"))
    add_coord(posterior, "draw", np.arange(DRAWS, dtype="int64"))
    width = max(5, len(str(args.size - 1)))
    labels = np.arange(args.size, dtype="int64") if args.index_labels else np.array([f"p{i:0{width}d}" for i in range(args.size)])
    add_coord(posterior, args.dim, labels)
    add_variable(posterior, args.name, args.dim, args.size, args.chunks, args.log_likelihood)
    zarr.consolidate_metadata(root.store)


if __name__ == "__main__":
    main()
