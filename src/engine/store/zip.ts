import ZipFileStore, { BlobReader } from "@zarrita/storage/zip";
import type { ZipInfo } from "unzipit";
import { streamChunks } from "../cmdstan/csv-file.ts";
import { cmdstanPaths } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { isDrawscopeError, StoreError } from "../errors.ts";
import { listKeys, storeKeys } from "./entries.ts";
import { notAZipReason, SNIFF_BYTES } from "./not-a-zip.ts";
import { zipEntryStream } from "./zip-entry.ts";
import { ZipEntriesStore } from "./zip-store.ts";
import type { TraceStore } from "./types.ts";

/** What a zip is read through: its length, and bytes by offset. */
export type ZipReader = ConstructorParameters<typeof ZipFileStore>[0];

/**
 * A zipped Zarr store, at the zip's root or inside one top folder; `__MACOSX/` and `._*` entries
 * are ignored. zarrita's ZipFileStore reads the zip's directory; entries are read by range
 * (ZipEntriesStore), so a large zip is never loaded whole. A zip of CmdStan's
 * CSV files (and no Zarr metadata) is read as that run, each file streamed as it is inflated.
 */
export async function openZip(reader: ZipReader, label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  let entries: ZipInfo["entries"] = {};
  const store = new ZipFileStore(reader, {
    transformEntries(all) {
      const mapping = storeKeys(Object.keys(all));
      entries = Object.fromEntries([...mapping].map(([key, path]) => [key, all[path]]));
      return entries;
    },
  });
  try {
    await store.has("/");
  } catch (cause) {
    // The reader's own errors (an unreachable server, one without range requests) say it better.
    if (isDrawscopeError(cause)) throw cause;
    const head = await reader
      .getLength()
      .then((length) => reader.read(0, Math.min(SNIFF_BYTES, length)))
      .catch(() => new Uint8Array());
    const reason = notAZipReason(head, label);
    if (reason) throw new StoreError(reason, label);
    throw new StoreError(`${label} is not a readable zip file (${(cause as Error).message}); zip the Zarr folder and try again`);
  }
  const keys = Object.keys(entries);
  const csv = cmdstanPaths(keys);
  if (csv) {
    const files = csv.map((name) => ({ name, size: entries[name].size, chunks: () => streamChunks(zipEntryStream(reader, entries[name], name)) }));
    return openCmdStan(files, label, options);
  }
  return { store: new ZipEntriesStore(reader, entries), list: listKeys(keys), label };
}

/** A zip held in a Blob or File (a dropped file in the browser, `fs.openAsBlob` in Node). */
export function openZipBlob(blob: Blob, label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  return openZip(new BlobReader(blob), label, options);
}
