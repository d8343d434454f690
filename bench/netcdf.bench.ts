/**
 * Issue 13's NetCDF bench: the 4×1000×10,000 theta trace (305 MiB of float64) extracted whole
 * (`theta[param]`, 40M rows, to an Arrow table) from a NetCDF-4 file as ArviZ writes it (zlib, in
 * netCDF's default chunks) against the same extraction from its Zarr store, each in a process of
 * its own, and against the two-core decode floor of the Zarr store's chunks. Goal: the NetCDF
 * path within 1.5× the Zarr path.
 *
 *   npx tsx bench/netcdf.bench.ts [--runs=N]
 *
 * The Zarr store is bench/make_store.py's (shared with the scale bench, under /tmp/drawscope-bench);
 * the NetCDF file is written from it by xarray and netCDF4 (Debian's python3), once.
 */
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { option } from "./browser.ts";
import { decodeFloor } from "./decode-floor.ts";
import { BENCH_DATA, ensureStore, type StoreSpec } from "./stores.ts";
import { readThetaLayout } from "./theta-store.ts";

const THETA: StoreSpec = { dir: "theta-4x1000x10000-c1x125x1250.zarr", args: ["--chunks", "1,125,1250"] };
const GOAL = 1.5;

/** As ArviZ's to_netcdf writes a group: every data variable zlib-compressed, netCDF choosing the chunks. */
const WRITE_NETCDF = `
import sys, xarray as xr
ds = xr.open_zarr(sys.argv[1], group="posterior")
ds.to_netcdf(sys.argv[2], group="posterior", mode="w", engine="netcdf4", encoding={v: {"zlib": True} for v in ds.data_vars})
`;

interface Run {
  seconds: number[];
  rows: number;
  checksum: number;
}

/** In a child process: open the trace and extract theta[param] `runs` times after a warm-up. */
async function measure(path: string, runs: number): Promise<Run> {
  const { openPath } = await import("../src/engine/node.ts");
  const seconds: number[] = [];
  let rows = 0;
  let checksum = 0;
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    const trace = await openPath(path);
    const table = await trace.extract("theta[param]");
    if (r > 0) seconds.push((performance.now() - start) / 1000);
    rows = table.numRows;
    checksum = 0;
    for (const value of table.getChild("theta")!) checksum += value as number;
  }
  return { seconds, rows, checksum };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const runs = option("runs", 3);
  const measuring = process.argv.find((a) => a.startsWith("--measure="));
  if (measuring) {
    process.stdout.write(`${JSON.stringify(await measure(measuring.slice("--measure=".length), runs))}\n`);
    process.exit(0);
  }
  const zarr = await ensureStore(THETA);
  const nc = join(BENCH_DATA, "theta-4x1000x10000.nc");
  if (!existsSync(nc)) {
    process.stderr.write("[bench] writing the NetCDF file with xarray\n");
    execFileSync("/usr/bin/python3", ["-c", WRITE_NETCDF, zarr, nc], { stdio: "inherit" });
  }
  const child = (path: string): Run =>
    JSON.parse(execFileSync(process.execPath, ["--import", "tsx", import.meta.filename, `--measure=${path}`, `--runs=${runs}`], { encoding: "utf8", maxBuffer: 1 << 20 }));
  process.stderr.write("[bench] Zarr path\n");
  const fromZarr = child(zarr);
  process.stderr.write("[bench] NetCDF path\n");
  const fromNetcdf = child(nc);
  const layout = readThetaLayout(zarr);
  const floor = await decodeFloor(layout.chunkFiles, layout.compressor);
  if (fromZarr.rows !== fromNetcdf.rows || Math.abs(fromZarr.checksum - fromNetcdf.checksum) > 1e-6 * Math.abs(fromZarr.checksum)) {
    throw new Error(`the NetCDF file's table differs from the Zarr store's: ${JSON.stringify([fromZarr.rows, fromZarr.checksum, fromNetcdf.rows, fromNetcdf.checksum])}`);
  }
  const [zarrSeconds, ncSeconds] = [median(fromZarr.seconds), median(fromNetcdf.seconds)];
  const ratio = ncSeconds / zarrSeconds;
  const mb = (path: string) => (statSync(path).isFile() ? statSync(path).size / 1e6 : layout.chunkFiles.reduce((n, f) => n + statSync(f).size, 0) / 1e6);
  process.stdout.write(
    [
      `NetCDF bench: theta[param] (4×1000×10,000 float64, ${fromZarr.rows.toLocaleString("en-US")} rows) extracted to Arrow in Node, open included; median of ${runs} runs after a warm-up, each path in a process of its own`,
      `  Zarr store (Blosc LZ4, chunks 1×125×1250, ${mb(zarr).toFixed(0)} MB):   ${zarrSeconds.toFixed(2)} s  (${fromZarr.seconds.map((s) => s.toFixed(2)).join(", ")})`,
      `  NetCDF-4 file (zlib, netCDF's chunks, ${mb(nc).toFixed(0)} MB):  ${ncSeconds.toFixed(2)} s  (${fromNetcdf.seconds.map((s) => s.toFixed(2)).join(", ")})`,
      `  two-core decode floor of the Zarr chunks (numcodecs): ${floor.seconds.toFixed(2)} s`,
      `  NetCDF / Zarr: ${ratio.toFixed(2)} (goal ≤ ${GOAL}: ${ratio <= GOAL ? "met" : "NOT met"}); NetCDF / decode floor: ${(ncSeconds / floor.seconds).toFixed(2)}`,
      "",
    ].join("\n"),
  );
  if (ratio > GOAL) process.exitCode = 1;
}

await main();
