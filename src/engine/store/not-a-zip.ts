/** Formats people open by mistake for a zipped Zarr store, told apart by their first bytes. */
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const NETCDF_CLASSIC = [0x43, 0x44, 0x46]; // "CDF", then the version byte 1, 2 or 5

/** How many leading bytes `notAZipReason` looks at. */
export const SNIFF_BYTES = 64;

const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);
const ZARR_INSTEAD = "and open that folder, or a zip of it.";

/**
 * What a file that is not a zip is, with what to do instead: a trace format drawscope does not
 * read yet (NetCDF, HDF5), CmdStan's CSV under another name, or a web page where a zip was expected.
 */
export function notAZipReason(head: Uint8Array, label: string): string | undefined {
  if (startsWith(head, HDF5)) {
    return (
      `${label} is a NetCDF-4 or HDF5 file (ArviZ's to_netcdf writes these), which drawscope cannot read yet. ` +
      `Save the trace as Zarr in Python (idata.to_zarr("trace.zarr")) ${ZARR_INSTEAD}`
    );
  }
  if (startsWith(head, NETCDF_CLASSIC) && [1, 2, 5].includes(head[3])) {
    return `${label} is a NetCDF file, which drawscope cannot read yet. Save the trace as Zarr in Python (idata.to_zarr("trace.zarr")) ${ZARR_INSTEAD}`;
  }
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
