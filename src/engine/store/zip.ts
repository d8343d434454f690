import ZipFileStore, { BlobReader } from "@zarrita/storage/zip";
import { DrawscopeError, StoreError } from "../errors.ts";
import { listKeys, storeKeys } from "./entries.ts";
import { notAZipReason, SNIFF_BYTES } from "./not-a-zip.ts";
import type { TraceStore } from "./types.ts";

/** What a zip is read through: its length, and bytes by offset. */
export type ZipReader = ConstructorParameters<typeof ZipFileStore>[0];

/**
 * A zipped Zarr store, at the zip's root or inside one top folder; `__MACOSX/` and `._*` entries
 * are ignored. Entries are read by range, so a large zip is never loaded whole.
 */
export async function openZip(reader: ZipReader, label: string): Promise<TraceStore> {
  let keys: string[] = [];
  const store = new ZipFileStore(reader, {
    transformEntries(entries) {
      const mapping = storeKeys(Object.keys(entries));
      keys = [...mapping.keys()];
      return Object.fromEntries([...mapping].map(([key, path]) => [key, entries[path]]));
    },
  });
  try {
    await store.has("/");
  } catch (cause) {
    // The reader's own errors (an unreachable server, one without range requests) say it better.
    if (cause instanceof DrawscopeError) throw cause;
    const head = await reader
      .getLength()
      .then((length) => reader.read(0, Math.min(SNIFF_BYTES, length)))
      .catch(() => new Uint8Array());
    const reason = notAZipReason(head, label);
    if (reason) throw new StoreError(reason, label);
    throw new StoreError(`${label} is not a readable zip file (${(cause as Error).message}); zip the Zarr folder and try again`);
  }
  return { store, list: listKeys(keys), label };
}

/** A zip held in a Blob or File (a dropped file in the browser, `fs.openAsBlob` in Node). */
export function openZipBlob(blob: Blob, label: string): Promise<TraceStore> {
  return openZip(new BlobReader(blob), label);
}
