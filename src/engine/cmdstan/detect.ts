/** Telling CmdStan's CSV output from a Zarr store, by the files' names or a file's first bytes. */

const ZARR_METADATA = /(^|\/)(\.zgroup|\.zarray|\.zattrs|\.zmetadata|zarr\.json)$/;
const CSV = /\.csv$/i;

export const isCsvName = (path: string): boolean => CSV.test(path);

/**
 * The CSV files of a set of paths (a dropped or picked folder, a zip's entries) when the set is
 * CmdStan output rather than a Zarr store: it has CSV files and no Zarr metadata. Other files
 * beside the CSVs (CmdStan's stdout, the data, the model) are left out.
 */
export function cmdstanPaths(paths: Iterable<string>): string[] | undefined {
  const all = [...paths];
  if (all.some((p) => ZARR_METADATA.test(p))) return undefined;
  const csv = all.filter(isCsvName);
  return csv.length > 0 ? csv : undefined;
}

/** Bytes enough to recognise CmdStan's output by its start. */
export const CMDSTAN_SNIFF_BYTES = 64;

/** Whether a file starts as CmdStan's CSV output does: `#` comments, or the header's lp__ column. */
export function looksLikeCmdStan(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head).replace(/^\uFEFF?\s*/, "");
  return text.startsWith("#") || text.startsWith("lp__,");
}
