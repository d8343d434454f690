#!/usr/bin/python3
"""Time the xarray way of getting theta as a tidy table, for the extract benchmark.

  xarray_extract.py STORE RUNS

Runs `xr.open_zarr(STORE, group="posterior").theta.to_dataframe().reset_index()` once to warm up
and RUNS more times, and prints one JSON line like the Node workers': run times, peak RSS, row
count and checksum of theta. For a Zarr v3 store read by zarr-python 2, prints {"skipped": why}.
"""
import gc
import json
import os
import resource
import subprocess
import sys
import time

import xarray as xr
import zarr


def extract(store):
    start = time.perf_counter()
    table = xr.open_zarr(store, group="posterior").theta.to_dataframe().reset_index()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(table), "checksum": float(table["theta"].sum())}


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def xarray_version():
    # Debian's build says 999 in both __version__ and its package metadata; dpkg knows the real one.
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-xarray"],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return xr.__version__


def versions(store):
    """xarray and zarr versions, and whether theta came through dask (it does when dask is installed)."""
    array_type = type(xr.open_zarr(store, group="posterior").theta.data).__module__.split(".")[0]
    return f"xarray {xarray_version()}, zarr {zarr.__version__}, {array_type} arrays"


def main():
    store, count = sys.argv[1], int(sys.argv[2])
    if os.path.exists(os.path.join(store, "zarr.json")) and int(zarr.__version__.split(".")[0]) < 3:
        print(json.dumps({"skipped": f"zarr-python {zarr.__version__} reads Zarr v2 only"}))
        return
    idle = peak_mib()
    warmup = extract(store)
    runs = []
    for _ in range(count):
        gc.collect()
        runs.append(extract(store))
    print(json.dumps({
        "runs": runs,
        "warmupSeconds": warmup["seconds"],
        "idleMiB": idle,
        "peakMiB": peak_mib(),
        "versions": versions(store),
    }))


if __name__ == "__main__":
    main()
