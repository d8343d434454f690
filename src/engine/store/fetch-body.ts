import type { AbsolutePath, AsyncReadable, GetOptions, RangeQuery } from "@zarrita/storage";
import FetchStore from "@zarrita/storage/fetch";
import { ownedView, takeBuffer } from "../decode/spare-buffers.ts";
import { isMetadataKey } from "./cached.ts";
import { gatherAtMost } from "../decode/read-at-most.ts";
import { timedFetch } from "./timed-fetch.ts";
import { MAX_PIECE_BYTES, type ChunkGetOptions } from "./types.ts";

/**
 * A response's body as bytes. When the server gives its length, the body is read straight into a
 * buffer of that length (a BYOB reader): `arrayBuffer()` gathers the body piece by piece, then
 * copies the pieces together, which for a 3 GB query of 8 MB chunks cost Chromium's worker
 * seconds. The buffer is a spare one when a decoded chunk's stored bytes came back (see
 * decode/spare-buffers.ts), so reading does not touch new pages. A body longer than its stated
 * length (a compressed transfer whose encoding a cross-origin response hides) is read to its end
 * all the same, up to `maxBytes` in all: a compressed transfer inflates as it is read, and a few
 * kilobytes may inflate to gigabytes. `alive` is called as bytes arrive (see timed-fetch.ts).
 * With `lend: false` the buffer is a new one of the body's own: for bytes kept or sliced by their
 * reader (a zip's ranges), which must never move to a worker and come back as a spare.
 */
export async function bodyBytes(response: Response, alive?: () => void, options?: { lend?: boolean; maxBytes?: number }): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await readBody(response, alive, options);
  } catch (error) {
    // A connection dropped mid-answer: the platform's words are only "terminated" or "network error".
    if (error instanceof TypeError) throw new Error(`the server's answer broke off before its end (${error.message}): try again`);
    throw error;
  }
}

async function readBody(
  response: Response,
  alive: () => void = () => undefined,
  { lend = true, maxBytes = MAX_PIECE_BYTES }: { lend?: boolean; maxBytes?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const tooLong = () => new Error(`the server's answer is longer than the ${maxBytes.toLocaleString("en-US")} bytes it can take: the server or the store is damaged`);
  if (length > maxBytes) {
    await response.body?.cancel();
    throw tooLong();
  }
  const body = response.body;
  let reader: ReadableStreamBYOBReader | undefined;
  try {
    reader = Number.isSafeInteger(length) && length > 0 ? body?.getReader({ mode: "byob" }) : undefined;
  } catch {
    // Not a byte stream here: read it in pieces.
  }
  if (!reader) return body ? gatherAtMost(body, maxBytes, tooLong, alive) : new Uint8Array(0);
  let buffer = lend ? takeBuffer(length) : new ArrayBuffer(length);
  let at = 0;
  while (at < length) {
    const { done, value } = await reader.read(new Uint8Array(buffer, at, length - at));
    if (done || !value) break;
    alive();
    buffer = value.buffer as ArrayBuffer;
    at += value.byteLength;
  }
  if (at < length) throw new TypeError(`the body ended after ${at} of its ${length} bytes`);
  // What follows the stated length, up to maxBytes in all.
  reader.releaseLock();
  const rest = await gatherAtMost(body!, maxBytes - length, tooLong, alive);
  if (!rest.length) return lend ? ownedView(buffer, length) : new Uint8Array(buffer, 0, length);
  const whole = new Uint8Array(length + rest.length);
  whole.set(new Uint8Array(buffer, 0, length));
  whole.set(rest, length);
  return whole;
}

/**
 * The bytes at an address, as a Zarr folder's keys are read: undefined when there is none (404), an
 * error for any other failure or for a body longer than `maxBytes`.
 */
export async function fetchBytes(url: URL | string, init: RequestInit, maxBytes?: number): Promise<Uint8Array | undefined> {
  const { response, alive, done } = await timedFetch(url, init, `cannot read ${url}`);
  try {
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new Error(`Unexpected response status ${response.status} ${response.statusText}`);
    }
    return await bodyBytes(response, alive, { maxBytes });
  } finally {
    done();
  }
}

/**
 * How chunks and other bulk reads are fetched: past the browser's HTTP cache. A trace's gigabytes
 * would fill it and push out everything else, and writing them there cost Chromium about a third
 * more CPU than reading them; metadata documents are cached as usual, and the URL store keeps
 * recent chunks itself (CachedStore).
 */
export const BULK_FETCH = { cache: "no-store" } as const satisfies RequestInit;

/** zarrita's FetchStore for a Zarr folder over HTTP, with each key's body read by `bodyBytes`; ranges are FetchStore's. Chunks are fetched as BULK_FETCH says. */
export class FolderFetchStore implements AsyncReadable {
  readonly #ranges: FetchStore;
  readonly getRange: (key: AbsolutePath, range: RangeQuery, options?: GetOptions) => Promise<Uint8Array | undefined>;

  constructor(private readonly root: string) {
    this.#ranges = new FetchStore(root, { overrides: BULK_FETCH });
    this.getRange = (key, range, options) => this.#ranges.getRange(key, range, options);
  }

  async get(key: AbsolutePath, { maxBytes, ...options }: ChunkGetOptions = {}): Promise<Uint8Array | undefined> {
    return fetchBytes(this.#url(key), isMetadataKey(key) ? options : { ...options, ...BULK_FETCH }, maxBytes);
  }

  /** A chunk's address, for a worker to fetch it (as BULK_FETCH says); metadata documents are read here, and cached. */
  chunkUrl(key: string): string | undefined {
    return isMetadataKey(key) ? undefined : this.#url(key).href;
  }

  /** As FetchStore resolves a key: below the root, keeping the root's query string. */
  #url(key: string): URL {
    const base = new URL(this.root);
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    const url = new URL(key.slice(1), base);
    url.search = base.search;
    return url;
  }
}
