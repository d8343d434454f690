import { sniffNetcdf } from "../netcdf/open.ts";

/** How many leading bytes `notAZipReason` looks at. */
export const SNIFF_BYTES = 64;

/**
 * What a file opened as a zip is instead, told by its first bytes, with what to do: a netCDF file
 * (read as a file, not as a zip), CmdStan's CSV under another name, or a web page.
 */
export function notAZipReason(head: Uint8Array, label: string): string | undefined {
  const netcdf = sniffNetcdf(head);
  if (netcdf === "hdf5") return `${label} is a netCDF-4 (HDF5) file, not a zip: open it as a file (drop it, or Open file).`;
  if (netcdf === "netcdf3") return `${label} is a netCDF-3 (classic) file, not a zip: save the trace with idata.to_netcdf("trace.nc") (netCDF-4) or idata.to_zarr("trace.zarr").`;
  const text = new TextDecoder().decode(head).replace(/^\uFEFF?\s*/, "");
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) {
    return `${label} is a web page (HTML), not a zip: check that the address points at the .zip file itself.`;
  }
  if (/^(# stan_version|lp__,)/.test(text)) {
    return `${label} is CmdStan's CSV output, not a zip: open it as a .csv file (or address), or the chains' CSV files together.`;
  }
  if (/\.csv$/i.test(label)) return `${label} is a CSV file, not a zip: drawscope opens Zarr stores (a folder, or a zip of one).`;
  return undefined;
}
