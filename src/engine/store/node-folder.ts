import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AbsolutePath, AsyncReadable, GetOptions, RangeQuery } from "@zarrita/storage";

const absent = (error: unknown) => ["ENOENT", "EISDIR", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/**
 * A file's bytes as a plain Uint8Array over a buffer of their own (readers move that buffer to
 * pool workers): Node's Buffer itself when it owns its memory, as a file of known size read whole
 * does (no copy of a chunk of tens of MB), else a copy (a small Buffer can be a slice of a shared pool).
 */
function ownBytes(buffer: Buffer): Uint8Array {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength ? new Uint8Array(buffer.buffer, 0, buffer.byteLength) : new Uint8Array(buffer);
}

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

  async get(key: AbsolutePath, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    const path = this.#path(key);
    if (!path) return undefined;
    try {
      return ownBytes(await readFile(path, { signal: options.signal }));
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
  }

  async getRange(key: AbsolutePath, range: RangeQuery, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    const path = this.#path(key);
    if (!path) return undefined;
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(path, "r");
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
    try {
      const { size } = await file.stat();
      const start = "suffixLength" in range ? Math.max(0, size - range.suffixLength) : Math.min(range.offset, size);
      const length = Math.min("suffixLength" in range ? range.suffixLength : range.length, size - start);
      const bytes = new Uint8Array(length);
      const { bytesRead } = await file.read(bytes, 0, length, start);
      options.signal?.throwIfAborted();
      return bytes.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }
}
