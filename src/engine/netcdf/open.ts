import type { File as H5File } from "h5wasm";
import { DrawscopeError, StoreError } from "../errors.ts";
import type { TraceStore } from "../store/types.ts";
import { netcdfZarr } from "./zarr-view.ts";

/** HDF5's signature: a netCDF-4 file's first bytes (or after a user block of 512, 1024, 2048… bytes). */
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** netCDF-3 (classic, 64-bit offset, CDF-5): "CDF" and a version byte. */
const NETCDF3 = [0x43, 0x44, 0x46];

/** How many leading bytes `sniffNetcdf` looks at: enough for a user block of up to 2 KB before HDF5's signature. */
export const NETCDF_SNIFF_BYTES = 2048 + HDF5.length;

const startsWith = (head: Uint8Array, magic: readonly number[], at = 0) => magic.every((b, i) => head[at + i] === b);

/** What the first bytes say a file is: HDF5 (netCDF-4), netCDF-3, or neither. */
export function sniffNetcdf(head: Uint8Array): "hdf5" | "netcdf3" | undefined {
  if ([0, 512, 1024, 2048].some((at) => startsWith(head, HDF5, at))) return "hdf5";
  if (startsWith(head, NETCDF3) && [1, 2, 5].includes(head[3])) return "netcdf3";
  return undefined;
}

/** The error for a netCDF-3 file: what it is, and how to save the trace so drawscope reads it. */
export function netcdf3Error(label: string): StoreError {
  return new StoreError(
    `${label} is a netCDF-3 (classic) file, which has no groups for an ArviZ trace: drawscope reads netCDF-4 files, as ArviZ writes them ` +
      `(idata.to_netcdf("trace.nc") with the netCDF4 or h5netcdf package installed). Save the trace that way, or as Zarr (idata.to_zarr("trace.zarr")).`,
    label,
  );
}

/**
 * What HDF5 says went wrong, for a message about the file: the first step of its error stack
 * ("#000: … in H5Fopen(): unable to open file"), without the stack.
 */
function reason(error: unknown): string {
  const text = String((error as Error).message ?? error);
  return /\bin \w+\(\): (.+)$/m.exec(text)?.[1].trim() ?? text.split("\n")[0];
}

/** h5wasm ready, with HDF5's errors thrown (with their stack as the message) instead of printed to the console. */
export async function readyH5wasm<M extends { ready: Promise<{ activate_throwing_error_handler(): number }> }>(h5wasm: M): Promise<M> {
  (await h5wasm.ready).activate_throwing_error_handler();
  return h5wasm;
}

/** The file h5wasm opens, as a store; what HDF5 cannot read of it (a broken or cut file) is named as such. */
export function opened(open: () => H5File, label: string): TraceStore {
  try {
    return netcdfZarr(open(), label);
  } catch (error) {
    if (error instanceof DrawscopeError) throw error;
    throw new StoreError(`cannot open ${label} as a netCDF-4 (HDF5) file: ${reason(error)}. It may be cut short or damaged: save it again from ArviZ (idata.to_netcdf).`, label);
  }
}

let mounts = 0;

/**
 * In a worker: a netCDF-4 file the user handed over (a dropped or picked file), read in place. It
 * is mounted in h5wasm's file system as a worker file (WORKERFS), whose reads are synchronous
 * slices of the blob: only the parts of the file a query needs are ever read.
 */
export async function openNetcdfBlob(blob: Blob, label: string): Promise<TraceStore> {
  const h5wasm = await readyH5wasm(await import("h5wasm"));
  const { FS } = await h5wasm.ready;
  const folder = `/drawscope-${++mounts}`;
  FS.mkdir(folder);
  FS.mount(FS.filesystems.WORKERFS, { blobs: [{ name: "trace.nc", data: blob }] }, folder);
  return opened(() => new h5wasm.File(`${folder}/trace.nc`, "r"), label);
}
