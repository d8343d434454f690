import type { TraceStore } from "../store/types.ts";
import { opened, readyH5wasm } from "./open.ts";

/** Node only: a netCDF-4 file by its path, read in place (h5wasm's Node build reads the host's files). */
export async function openNetcdfPath(path: string): Promise<TraceStore> {
  const h5wasm = await readyH5wasm(await import("h5wasm/node"));
  return opened(() => new h5wasm.File(path, "r"), path);
}
