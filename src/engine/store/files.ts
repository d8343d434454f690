import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";
import { listKeys, storeKeys } from "./entries.ts";
import type { TraceStore } from "./types.ts";

/** One file of a picked or dropped folder: its path relative to the pick, and its contents. */
export interface FileEntry {
  path: string;
  blob: Blob;
}

/** A store over files the user handed over (a folder picked or dropped); ranges read via Blob.slice. */
class FileEntriesStore implements AsyncReadable {
  constructor(private readonly files: Map<string, Blob>) {}

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    const blob = this.files.get(key.slice(1));
    return blob && new Uint8Array(await blob.arrayBuffer());
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    const blob = this.files.get(key.slice(1));
    if (!blob) return undefined;
    const part =
      "suffixLength" in range ? blob.slice(blob.size - range.suffixLength) : blob.slice(range.offset, range.offset + range.length);
    return new Uint8Array(await part.arrayBuffer());
  }
}

/** Open the files of a Zarr folder; a shared top folder (the folder the user picked) is stripped. */
export function openFiles(entries: Iterable<FileEntry>, label: string): TraceStore {
  const byPath = new Map<string, Blob>();
  for (const { path, blob } of entries) byPath.set(path.replace(/^\/+/, ""), blob);
  const files = new Map<string, Blob>();
  for (const [key, path] of storeKeys(byPath.keys())) files.set(key, byPath.get(path)!);
  return { store: new FileEntriesStore(files), list: listKeys(files.keys()), label };
}
