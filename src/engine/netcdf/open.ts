import type { File as H5File } from "h5wasm";
import { type DrawscopeError, isDrawscopeError, StoreError } from "../errors.ts";
import { HttpRangeReader, type ServedFile } from "../store/http-ranges.ts";
import type { TraceStore } from "../store/types.ts";
import { blobSource, memorySource, type ByteSource } from "./byte-source.ts";
import { mountByteSource, type MountedSource } from "./byte-source-fs.ts";
import { rangeRequestSource } from "./range-requests.ts";
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

/** What went wrong reading the file's bytes, as the user's error: a drawscope error as it is, else named for the file. */
function sourceError(failure: unknown, label: string): DrawscopeError {
  if (isDrawscopeError(failure)) return failure;
  return new StoreError(`cannot read ${label}: ${(failure as Error).message ?? failure}. If the file was moved or changed since it was opened, open it again.`, label);
}

/**
 * The file h5wasm opens, as a store that closes it (and takes `mounted` out of h5wasm's file
 * system) when another trace replaces it. What HDF5 cannot read of it (a broken or cut file) is
 * named as such; a read of the file's bytes that failed is reported as itself.
 */
export function opened(open: () => H5File, label: string, mounted?: MountedSource): TraceStore {
  let file: H5File | undefined;
  try {
    file = open();
    const failure = () => {
      const cause = mounted?.takeFailure();
      return cause === undefined ? undefined : sourceError(cause, label);
    };
    const store = netcdfZarr(file, label, failure);
    const close = () => {
      file!.close();
      mounted?.unmount();
    };
    return { ...store, close };
  } catch (error) {
    file?.close();
    mounted?.unmount();
    if (isDrawscopeError(error)) throw error;
    const cause = mounted?.takeFailure();
    if (cause !== undefined) throw sourceError(cause, label);
    throw new StoreError(`cannot open ${label} as a netCDF-4 (HDF5) file: ${reason(error)}. It may be cut short or damaged: save it again from ArviZ (idata.to_netcdf).`, label);
  }
}

/** A netCDF-4 file read through `source` by h5wasm's browser build (in a worker, or in Node for tests). */
export async function openNetcdfSource(source: ByteSource, label: string): Promise<TraceStore> {
  const h5wasm = await readyH5wasm(await import("h5wasm"));
  const { FS } = await h5wasm.ready;
  const mounted = mountByteSource(FS, source);
  return opened(() => new h5wasm.File(mounted.path, "r"), label, mounted);
}

/**
 * In a worker: a netCDF-4 file the user handed over (a dropped or picked file), read in place:
 * HDF5 reads slices of the blob as it needs them, so only the parts of the file a query needs are
 * ever read.
 */
export function openNetcdfBlob(blob: Blob, label: string): Promise<TraceStore> {
  return openNetcdfSource(blobSource(blob), label);
}

const SERVED_NETCDF: ServedFile = {
  noun: "netCDF file",
  instead: 'serve the trace as Zarr instead (idata.to_zarr("trace.zarr")), or download the file and use Open file',
};

/**
 * In a worker: a netCDF-4 file on a server, read by HTTP range requests (only the ranges HDF5
 * asks for). A small file from a server that ignores ranges is read from one download; a large
 * one is refused, saying why.
 */
export async function openNetcdfUrl(url: URL, label: string): Promise<TraceStore> {
  if (typeof XMLHttpRequest === "undefined") {
    throw new StoreError(`${label} is a netCDF file: the command line reads netCDF files by path, not by address. Download it (curl -O ${label}) and give the file's path.`, label);
  }
  const reader = new HttpRangeReader(url, label, SERVED_NETCDF);
  const size = await reader.getLength();
  const kind = sniffNetcdf(await reader.read(0, Math.min(size, NETCDF_SNIFF_BYTES)));
  if (kind === "netcdf3") throw netcdf3Error(label);
  if (kind !== "hdf5") {
    throw new StoreError(`${label} is not a netCDF-4 file: it does not begin as an HDF5 file does. Check the address (a server may have sent a web page instead of the file).`, label);
  }
  const whole = await reader.whole();
  return openNetcdfSource(whole ? memorySource(whole) : rangeRequestSource(url.href, size, label), label);
}
