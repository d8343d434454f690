import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";
import { blobBytes } from "./blob.ts";
import type { TraceStore } from "./types.ts";

/** Walk from a directory handle to the file a key names, or undefined if any part is missing. */
async function fileAt(root: FileSystemDirectoryHandle, key: string): Promise<File | undefined> {
  const parts = key.split("/").filter(Boolean);
  let dir = root;
  try {
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
    return await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
  } catch (error) {
    if ((error as DOMException).name === "NotFoundError" || (error as DOMException).name === "TypeMismatchError") return undefined;
    throw error;
  }
}

/** A store over a directory handle (File System Access API: drag and drop, showDirectoryPicker). */
class DirectoryHandleStore implements AsyncReadable {
  constructor(private readonly root: FileSystemDirectoryHandle) {}

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    const file = await fileAt(this.root, key);
    return file && blobBytes(file);
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    const file = await fileAt(this.root, key);
    return file && blobBytes(file, range);
  }
}

export function openDirectoryHandle(root: FileSystemDirectoryHandle): TraceStore {
  async function list(folder: string): Promise<string[]> {
    let dir = root;
    try {
      for (const part of folder.split("/").filter(Boolean)) dir = await dir.getDirectoryHandle(part);
    } catch {
      return [];
    }
    const names: string[] = [];
    for await (const name of dir.keys()) names.push(name);
    return names;
  }
  return { store: new DirectoryHandleStore(root), list, label: root.name };
}
