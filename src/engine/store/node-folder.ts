import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { AbsolutePath, AsyncReadable, GetOptions, RangeQuery } from "@zarrita/storage";
import { ownedView, takeBytes } from "../decode/spare-buffers.ts";

const absent = (error: unknown) => ["ENOENT", "EISDIR", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/**
 * A Zarr folder on disk, in Node (the CLI, tests, benches). Unlike zarrita's FileSystemStore, a
 * range past a file's end gives the bytes that are there rather than a buffer padded with zeros
 * (which a lying shard index would have read as data), and a key is only ever read below the
 * folder: metadata naming `..` finds nothing.
 */
export class NodeFolderStore implements AsyncReadable {
  constructor(private readonly root: string) {}

  #path(key: AbsolutePath): string | undefined {
    const parts = key.split("/").filter(Boolean);
    return parts.some((p) => p === ".." || p === ".") ? undefined : join(this.root, ...parts);
  }

  /** `read` on the file at `key`, closed after; undefined where there is no such file (or a folder). */
  async #withFile(key: AbsolutePath, read: (file: FileHandle) => Promise<Uint8Array>): Promise<Uint8Array | undefined> {
    const path = this.#path(key);
    if (!path) return undefined;
    try {
      const file = await open(path, "r");
      try {
        return await read(file);
      } finally {
        await file.close();
      }
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
  }

  /**
   * A file's bytes, read whole in one call into a buffer of exactly their size lent for reuse
   * (decode/spare-buffers.ts; exactly, since some decoders read a view's whole buffer): readFile
   * reads in pieces of 512 KiB, each a round trip through the thread pool, into a new buffer, which
   * cost several times what reading takes over a chunk of tens of MB. A file whose size is not known
   * ahead (0 for some file systems) is read to its end as readFile does.
   */
  get(key: AbsolutePath, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted();
    return this.#withFile(key, async (file) => {
      const { size } = await file.stat();
      if (size === 0) return new Uint8Array(await file.readFile({ signal: options.signal }));
      const bytes = takeBytes(size);
      const read = await readFully(file, bytes, 0);
      options.signal?.throwIfAborted();
      // A file cut short while read gives the bytes that were there, in a buffer of their own.
      return read === size ? ownedView(bytes.buffer, size) : bytes.slice(0, read);
    });
  }

  getRange(key: AbsolutePath, range: RangeQuery, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    return this.#withFile(key, async (file) => {
      const { size } = await file.stat();
      const start = "suffixLength" in range ? Math.max(0, size - range.suffixLength) : Math.min(range.offset, size);
      const length = Math.min("suffixLength" in range ? range.suffixLength : range.length, size - start);
      const bytes = new Uint8Array(length);
      const read = await readFully(file, bytes, start);
      options.signal?.throwIfAborted();
      return bytes.subarray(0, read);
    });
  }
}

/** Read `bytes.length` bytes from `position` into `bytes`, or up to the file's end: how many were read. */
async function readFully(file: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  let read = 0;
  while (read < bytes.length) {
    const { bytesRead } = await file.read(bytes, read, bytes.length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}
