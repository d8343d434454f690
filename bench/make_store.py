#!/usr/bin/python3
"""Write the benchmark posterior as a Zarr v2 DataTree store, laid out the way ArviZ/xarray write it.

  make_store.py DST.zarr [--chunks C,D,P] [--params N]

One variable, posterior/theta (chain, draw, param) = 4 x 1000 x 10,000 (or N) float64 standard
normals, with its coordinate arrays chain, draw (int64) and param ('<U6' "p00000".."p09999"), each array
carrying xarray's _ARRAY_DIMENSIONS, and consolidated metadata (.zmetadata). Plain zarr rather than
xarray so that only python3-zarr is needed; the attributes, fill values and compressor are the ones
xarray 2023 + zarr 2.13 produce. Without --chunks, theta gets zarr's default chunking, which is what
`InferenceData.to_zarr()` gives users for in-memory draws.
"""
import argparse
import datetime

import numpy as np
import zarr
from numcodecs import Blosc

CHAINS, DRAWS = 4, 1000
SEED = 20240601
# zarr's default compressor, which xarray keeps when the user names none.
COMPRESSOR = Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dst")
    parser.add_argument("--chunks", type=lambda s: tuple(int(n) for n in s.split(",")),
                        help="theta's chunk shape, e.g. 4,1000,100 (default: zarr's guess)")
    parser.add_argument("--params", type=int, default=10_000, help="theta's number of parameters (default 10,000)")
    return parser.parse_args()


def add_coord(group, name, values):
    # xarray gives dimension coordinates no _FillValue, so zarr stores fill_value null.
    arr = group.create_dataset(name, data=values, compressor=COMPRESSOR, fill_value=None)
    arr.attrs["_ARRAY_DIMENSIONS"] = [name]


def add_theta(group, chunks, params):
    shape = (CHAINS, DRAWS, params)
    # xarray's CF encoding gives floats a NaN _FillValue, which it moves into .zarray.
    extra = {"chunks": chunks} if chunks else {}
    arr = group.create_dataset("theta", shape=shape, dtype="<f8", compressor=COMPRESSOR,
                               fill_value=np.nan, **extra)
    # Chain by chain, so a large theta never sits whole in memory; the generator fills in C order,
    # so the values are the same as from one call over the whole shape.
    rng = np.random.default_rng(SEED)
    for chain in range(CHAINS):
        arr[chain] = rng.standard_normal(shape[1:])
    arr.attrs["_ARRAY_DIMENSIONS"] = ["chain", "draw", "param"]


def main():
    args = parse_args()
    root = zarr.open_group(args.dst, mode="w")
    posterior = root.create_group("posterior")
    posterior.attrs.update({
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "inference_library": "drawscope-bench",
    })
    add_coord(posterior, "chain", np.arange(CHAINS, dtype="int64"))
    add_coord(posterior, "draw", np.arange(DRAWS, dtype="int64"))
    width = max(5, len(str(args.params - 1)))
    add_coord(posterior, "param", np.array([f"p{i:0{width}d}" for i in range(args.params)], dtype=f"<U{width + 1}"))
    add_theta(posterior, args.chunks, args.params)
    zarr.consolidate_metadata(root.store)


if __name__ == "__main__":
    main()
