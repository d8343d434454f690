import { openAsBlob } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { blobFile } from "../cmdstan/csv-file.ts";
import { cmdstanPaths } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { createNodeWorkPool } from "../pool/node.ts";
import type { WorkPool } from "../pool/pool.ts";
import { StoreError } from "../errors.ts";
import { openTrace, type Trace } from "../trace.ts";
import type { TraceStore } from "./types.ts";
import { openNetcdfPath } from "../netcdf/node.ts";
import { NETCDF_SNIFF_BYTES, netcdf3Error, sniffNetcdf } from "../netcdf/open.ts";
import { blobBytes } from "./blob.ts";
import { openFile } from "./file.ts";
import { NodeFolderStore } from "./node-folder.ts";
import { openUrl } from "./url.ts";

/**
 * Node only: a Zarr folder, a zipped store, a netCDF-4 file, or an http(s) URL, by its path or
 * address; or CmdStan's CSV output (a file, or a folder or zip of one per chain).
 */
export async function openPathStore(path: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  if (/^https?:\/\//i.test(path)) return openUrl(path, options);
  const info = await stat(path).catch(() => {
    throw new StoreError(`${path} does not exist: give the path of a Zarr folder or a .zip of one, or of CmdStan's CSV files`, path);
  });
  if (info.isDirectory()) {
    const list = async (folder: string) => readdir(join(path, folder)).catch(() => []);
    const csv = cmdstanPaths(await list(""));
    if (csv) return openCmdStan(await Promise.all(csv.map(async (name) => blobFile(name, await openAsBlob(join(path, name))))), path, options);
    return { store: new NodeFolderStore(path), list, label: path };
  }
  const blob = await openAsBlob(path);
  const kind = sniffNetcdf(await blobBytes(blob, { offset: 0, length: NETCDF_SNIFF_BYTES }));
  if (kind === "hdf5") return openNetcdfPath(path);
  if (kind === "netcdf3") throw netcdf3Error(path);
  return openFile(blob, path, options);
}

let sharedPool: WorkPool | undefined;

/** Node only: open a trace by path or URL; large chunks decode on a shared pool of worker threads. */
export async function openPath(path: string): Promise<Trace> {
  sharedPool ??= createNodeWorkPool();
  return openTrace(await openPathStore(path), { pool: sharedPool });
}
