import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";
import { blobFile } from "../cmdstan/csv-file.ts";
import { cmdstanPaths } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { blobBytes } from "./blob.ts";
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
    return blob && blobBytes(blob);
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    const blob = this.files.get(key.slice(1));
    return blob && blobBytes(blob, range);
  }
}

/** The files by their key in the store: a shared top folder (the folder the user picked) stripped, litter left out. */
function keyed(entries: Iterable<FileEntry>): Map<string, Blob> {
  const byPath = new Map<string, Blob>();
  for (const { path, blob } of entries) byPath.set(path.replace(/^\/+/, ""), blob);
  const files = new Map<string, Blob>();
  for (const [key, path] of storeKeys(byPath.keys())) files.set(key, byPath.get(path)!);
  return files;
}

/** Open the files of a Zarr folder. */
export function openFiles(entries: Iterable<FileEntry>, label: string): TraceStore {
  const files = keyed(entries);
  return { store: new FileEntriesStore(files), list: listKeys(files.keys()), label };
}

/** Open files the user handed over: a Zarr folder's files, or CmdStan's CSV files (one per chain, or a folder of them). */
export async function openFileEntries(entries: Iterable<FileEntry>, label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  const files = keyed(entries);
  const csv = cmdstanPaths(files.keys());
  if (csv)
    return openCmdStan(
      csv.map((key) => blobFile(key, files.get(key)!)),
      label,
      options,
    );
  return { store: new FileEntriesStore(files), list: listKeys(files.keys()), label };
}
