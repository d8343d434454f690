import { openAsBlob } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import FileSystemStore from "@zarrita/storage/fs";
import { createNodeWorkPool } from "../pool/node.ts";
import type { WorkPool } from "../pool/pool.ts";
import { StoreError } from "../errors.ts";
import { openTrace, type Trace } from "../trace.ts";
import type { TraceStore } from "./types.ts";
import { openUrl } from "./url.ts";
import { openZipBlob } from "./zip.ts";

/** Node only: a Zarr folder, a zipped store, or an http(s) URL, by its path or address. */
export async function openPathStore(path: string): Promise<TraceStore> {
  if (/^https?:\/\//i.test(path)) return openUrl(path);
  const info = await stat(path).catch(() => {
    throw new StoreError(`${path} does not exist: give the path of a Zarr folder or a .zip of one`, path);
  });
  if (info.isDirectory()) {
    const list = async (folder: string) => readdir(join(path, folder)).catch(() => []);
    return { store: new FileSystemStore(path), list, label: path };
  }
  return openZipBlob(await openAsBlob(path), path);
}

let sharedPool: WorkPool | undefined;

/** Node only: open a trace by path or URL; large chunks decode on a shared pool of worker threads. */
export async function openPath(path: string): Promise<Trace> {
  sharedPool ??= createNodeWorkPool();
  return openTrace(await openPathStore(path), { pool: sharedPool });
}
