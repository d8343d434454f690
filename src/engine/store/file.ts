import { blobFile } from "../cmdstan/csv-file.ts";
import { CMDSTAN_SNIFF_BYTES, isCsvName, looksLikeCmdStan } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { NETCDF_SNIFF_BYTES, netcdf3Error, openNetcdfBlob, sniffNetcdf } from "../netcdf/open.ts";
import { blobBytes } from "./blob.ts";
import type { TraceStore } from "./types.ts";
import { openZipBlob } from "./zip.ts";

/**
 * One file the user handed over: CmdStan's CSV output (known by its name or its first bytes: a
 * run of one chain), a netCDF-4 file (by its first bytes; in a worker), or else a zip (of a Zarr
 * store, or of CmdStan's CSV files).
 */
export async function openFile(blob: Blob, label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  const head = await blobBytes(blob, { offset: 0, length: Math.max(CMDSTAN_SNIFF_BYTES, NETCDF_SNIFF_BYTES) });
  if (isCsvName(label) || looksLikeCmdStan(head.subarray(0, CMDSTAN_SNIFF_BYTES))) return openCmdStan([blobFile(label, blob)], label, options);
  const netcdf = sniffNetcdf(head);
  if (netcdf === "hdf5") return openNetcdfBlob(blob, label);
  if (netcdf === "netcdf3") throw netcdf3Error(label);
  return openZipBlob(blob, label, options);
}
