import { blobFile } from "../cmdstan/csv-file.ts";
import { CMDSTAN_SNIFF_BYTES, isCsvName, looksLikeCmdStan } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { blobBytes } from "./blob.ts";
import type { TraceStore } from "./types.ts";
import { openZipBlob } from "./zip.ts";

/**
 * One file the user handed over: CmdStan's CSV output (known by its name or its first bytes: a
 * run of one chain), or else a zip (of a Zarr store, or of CmdStan's CSV files).
 */
export async function openFile(blob: Blob, label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  if (isCsvName(label) || looksLikeCmdStan(await blobBytes(blob, { offset: 0, length: CMDSTAN_SNIFF_BYTES }))) {
    return openCmdStan([blobFile(label, blob)], label, options);
  }
  return openZipBlob(blob, label, options);
}
