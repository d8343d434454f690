import type { AsyncReadable } from "@zarrita/storage";

/**
 * A Zarr store as the engine sees it: zarrita's readable interface, plus a folder listing where
 * the medium has one (local folders, zips, file lists), used when consolidated metadata is absent.
 */
export interface TraceStore {
  readonly store: AsyncReadable;
  /** Names directly under a folder (`""` is the root), or undefined where the medium cannot list (HTTP). */
  readonly list?: (folder: string) => Promise<string[]>;
  /** What the user opened, for messages: a path, a file name, a URL. */
  readonly label: string;
  /** What the store was made from when it is not a Zarr store (`CmdStan CSV, 4 chains`), for the trace browser. */
  readonly origin?: string;
}
