/** Formats people open by mistake for a zipped Zarr store, told apart by their first bytes. */
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const NETCDF_CLASSIC = [0x43, 0x44, 0x46]; // "CDF", then the version byte 1, 2 or 5

const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);
const isText = (head: Uint8Array) => head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));

/**
 * What a file that is not a zip is, with what to do instead, when it is a trace format drawscope
 * does not read yet: NetCDF (classic, or NetCDF-4 in HDF5) and CSV such as CmdStan's output.
 */
export function notAZipReason(head: Uint8Array, label: string): string | undefined {
  if (startsWith(head, HDF5) || (startsWith(head, NETCDF_CLASSIC) && [1, 2, 5].includes(head[3]))) {
    return (
      `${label} is a NetCDF file, which drawscope cannot read yet. ` +
      'Save the trace as Zarr in Python (idata.to_zarr("trace.zarr")) and open that folder, or a zip of it.'
    );
  }
  if (/\.csv$/i.test(label) || (isText(head) && /^(#|lp__,)/.test(new TextDecoder().decode(head)))) {
    return (
      `${label} is a CSV file (CmdStan's output?), which drawscope cannot read yet. ` +
      'Convert it with ArviZ in Python (az.from_cmdstan(["output_1.csv", ...]).to_zarr("trace.zarr")) and open that folder, or a zip of it.'
    );
  }
  return undefined;
}
