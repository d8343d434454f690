import type { AbsolutePath, AsyncReadable, GetOptions, RangeQuery } from "@zarrita/storage";
import { ByteLru } from "./byte-lru.ts";
import type { ChunkGetOptions, RemoteChunks } from "./types.ts";

/** The chunk cache's default bound: dozens of typical chunks, small beside a query's table. */
export const DEFAULT_CACHE_BYTES = 64_000_000;

const METADATA_NAMES = new Set([".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json"]);

/** Zarr metadata documents (format 2 and 3), which zarrita also probes for where they are absent. */
export function isMetadataKey(key: string): boolean {
  return METADATA_NAMES.has(key.slice(key.lastIndexOf("/") + 1));
}

type Read = Promise<Uint8Array | undefined>;

/** Wait for a shared read, but give up as soon as this caller's own signal aborts. */
function untilAborted(read: Read, signal: AbortSignal | undefined): Read {
  if (!signal) return read;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    read.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * A store over a slow medium (HTTP) that fetches each thing once. Metadata documents, present or
 * absent, are kept for as long as the store lives: they are small, and zarrita asks for them again
 * and again. Chunks up to a sixteenth of the bound are kept in a least-recently-used cache bounded
 * by bytes, so re-running a query reads nothing twice while the cache stays small. Concurrent reads
 * of one key share one fetch; a failed fetch is forgotten, so the next read tries again.
 *
 * Every read returns bytes of its own: a decoder may move a chunk's buffer to a worker, which
 * would empty the cached copy or another caller's.
 */
export class CachedStore implements AsyncReadable, RemoteChunks {
  readonly #metadata = new Map<string, Read>();
  readonly #chunks: ByteLru<Uint8Array | undefined>;
  /** Reads under way, and how many callers wait for each. */
  readonly #inFlight = new Map<string, { read: Read; callers: number }>();
  readonly getRange?: (key: AbsolutePath, range: RangeQuery, options?: GetOptions) => Read;

  constructor(
    private readonly inner: AsyncReadable,
    maxBytes = DEFAULT_CACHE_BYTES,
  ) {
    this.#chunks = new ByteLru(maxBytes, (bytes) => bytes?.byteLength ?? 0);
    const getRange = inner.getRange?.bind(inner);
    if (getRange) {
      const rangeKey = (key: string, range: RangeQuery) => ("suffixLength" in range ? `${key}\0-${range.suffixLength}` : `${key}\0${range.offset}+${range.length}`);
      this.getRange = (key, range, options) => this.#read(rangeKey(key, range), () => getRange(key, range), options?.signal);
    }
  }

  /** Chunk bytes held now, at most the bound given. */
  get chunkBytes(): number {
    return this.#chunks.bytes;
  }

  get(key: AbsolutePath, options?: ChunkGetOptions): Read {
    if (isMetadataKey(key)) return untilAborted(this.#metadataOnce(key), options?.signal).then(copy);
    // The bound is the chunk's, the same for every caller of the key.
    const bound: ChunkGetOptions = { maxBytes: options?.maxBytes };
    return this.#read(key, () => this.inner.get(key, bound), options?.signal);
  }

  #metadataOnce(key: string): Read {
    let read = this.#metadata.get(key);
    if (!read) {
      read = this.inner.get(key as AbsolutePath);
      this.#metadata.set(key, read);
      read.catch(() => this.#metadata.delete(key));
    }
    return read;
  }

  async #read(key: string, fetch: () => Read, signal: AbortSignal | undefined): Read {
    const held = this.#chunks.get(key);
    if (held) return copy(held.value);
    let flight = this.#inFlight.get(key);
    if (!flight) {
      // Not tied to the first caller's signal: another caller may be waiting for the same bytes.
      const read = fetch();
      const started = { read, callers: 0 };
      flight = started;
      this.#inFlight.set(key, started);
      // The read's first callback: once it has run nobody joins, so `callers` is final for every caller after it.
      read.then(
        (bytes) => {
          this.#inFlight.delete(key);
          if (this.#keeps(bytes)) this.#chunks.set(key, bytes);
        },
        () => this.#inFlight.delete(key),
      );
    }
    flight.callers++;
    const bytes = await untilAborted(flight.read, signal);
    // A chunk too large to keep goes to its one caller as it came: copying it would cost about what reading it did.
    return !this.#keeps(bytes) && flight.callers === 1 ? bytes : copy(bytes);
  }

  /** Where a worker fetches a chunk, when the store below says and nothing here holds the chunk or reads it now (RemoteChunks). */
  chunkUrl(key: string): string | undefined {
    if (isMetadataKey(key) || this.#chunks.get(key) || this.#inFlight.has(key)) return undefined;
    return (this.inner as Partial<RemoteChunks>).chunkUrl?.(key);
  }

  get keepBelow(): number {
    return this.#chunks.maxBytes / 16;
  }

  remember(key: string, bytes: Uint8Array | undefined): void {
    if (this.#keeps(bytes)) this.#chunks.set(key, bytes);
  }

  /**
   * Whether a chunk is small enough to keep: the cache holds at least sixteen of them, else a
   * query reading such chunks by the dozen would sweep it without a hit.
   */
  #keeps(bytes: Uint8Array | undefined): boolean {
    return (bytes?.byteLength ?? 0) <= this.#chunks.maxBytes / 16;
  }
}

function copy(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes?.slice();
}
