import type { AsyncReadable, GetOptions } from "@zarrita/storage";

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
  /** Let go of what the store holds open (a netCDF file in h5wasm), once a trace opened from another store replaces it. */
  readonly close?: () => void;
}

/** The most bytes drawscope reads or inflates as one piece (a zip entry, a shard's inner chunk) when nothing tighter bounds it: 1 GiB. */
export const MAX_PIECE_BYTES = 2 ** 30;

/**
 * What a chunk's reader tells the store besides zarrita's options: the most bytes the chunk can
 * take as stored, which a store that inflates what it holds (a zip's entries) does not exceed.
 */
export interface ChunkGetOptions extends GetOptions {
  maxBytes?: number;
}

/**
 * A store whose chunks a worker can fetch itself (a Zarr folder over HTTP), so that reading the
 * bytes of a big query is spread over the workers that decode them.
 */
export interface RemoteChunks {
  /** Where a worker fetches the stored bytes of `key`, or undefined for a key to read on this thread (one held here, metadata). */
  chunkUrl(key: string): string | undefined;
  /** The largest stored chunk this store keeps for re-reading. */
  readonly keepBelow: number;
  /**
   * A chunk's stored bytes a worker fetched and sent back (at most keepBelow), or undefined for one
   * the server does not have, to keep as the store's own reads are kept.
   */
  remember(key: string, bytes: Uint8Array | undefined): void;
}

/** The store's RemoteChunks, when it has them. */
export function remoteChunksOf(store: AsyncReadable): RemoteChunks | undefined {
  const remote = store as Partial<RemoteChunks>;
  return typeof remote.chunkUrl === "function" && typeof remote.remember === "function" ? (remote as RemoteChunks) : undefined;
}
