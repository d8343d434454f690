import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";
import type { ZipInfo } from "unzipit";
import type { ChunkGetOptions } from "./types.ts";
import { dataOffset, isStored, readZipEntry } from "./zip-entry.ts";
import type { ZipReader } from "./zip.ts";

/**
 * A zip's entries as a Zarr store, read by range from the zip: stored entries as they lie,
 * deflated ones inflated within their stated size and the bound their reader gives
 * (readZipEntry). zarrita's ZipFileStore inflates an entry whole, however large it turns out.
 */
export class ZipEntriesStore implements AsyncReadable {
  constructor(
    private readonly reader: ZipReader,
    private readonly entries: ZipInfo["entries"],
  ) {}

  async get(key: AbsolutePath, options: ChunkGetOptions = {}): Promise<Uint8Array | undefined> {
    const name = key.slice(1);
    const entry = this.entries[name];
    return entry && readZipEntry(this.reader, entry, name, options.maxBytes);
  }

  /** A range of an entry: read in place for a stored one, sliced from the whole for a deflated one. */
  async getRange(key: AbsolutePath, range: RangeQuery, options: ChunkGetOptions = {}): Promise<Uint8Array | undefined> {
    const name = key.slice(1);
    const entry = this.entries[name];
    if (!entry) return undefined;
    if (!isStored(entry)) {
      const bytes = await readZipEntry(this.reader, entry, name, options.maxBytes);
      return "suffixLength" in range ? bytes.slice(-range.suffixLength) : bytes.slice(range.offset, range.offset + range.length);
    }
    const start = await dataOffset(this.reader, entry);
    if ("suffixLength" in range) {
      const length = Math.min(range.suffixLength, entry.size);
      return this.reader.read(start + entry.size - length, length);
    }
    const end = Math.min(range.offset + range.length, entry.size);
    return this.reader.read(start + range.offset, Math.max(0, end - range.offset));
  }
}
