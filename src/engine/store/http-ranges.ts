import { isDrawscopeError, SERVER_REACH_HINT, StoreError } from "../errors.ts";
import { gatherAtMost } from "../decode/read-at-most.ts";
import { megabytes } from "../units.ts";
import { BULK_FETCH, bodyBytes } from "./fetch-body.ts";
import { timedFetch, type TimedResponse } from "./timed-fetch.ts";
import type { ZipReader } from "./zip.ts";

/**
 * A file (a zip, a netCDF file) that a server ignoring range requests sends whole is kept, up to
 * this size, and read from memory: the example and most single-model traces fit. Larger ones are
 * refused, since every read would download the whole file again.
 */
export const WHOLE_DOWNLOAD_LIMIT = 64_000_000;

const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

/** A byte count from a header, if it is one. */
function byteCount(text: string | null | undefined): number | undefined {
  const n = Number(text ?? Number.NaN);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** What a file served over HTTP is, for messages: its noun, and what to do instead when it cannot be read by ranges. */
export interface ServedFile {
  noun: string;
  instead: string;
}

export const SERVED_ZIP: ServedFile = { noun: "zip", instead: "serve the unzipped Zarr folder instead, or download the zip and use Open file" };

/**
 * A file (a zip, a netCDF file) served over HTTP(S), read by range requests so that a large file
 * is never downloaded whole. Servers are checked rather than trusted: one that answers a range
 * request with the whole file (200 instead of 206) is detected, its small files kept from that
 * answer and large ones refused with a message that says so; a short answer is an error, never a
 * silently shifted read.
 */
export class HttpRangeReader implements ZipReader {
  #length?: number;
  /** The whole file, once a server sent all of it: shared by reads that overlap its download. */
  #whole?: Promise<Uint8Array<ArrayBuffer>>;

  constructor(
    private readonly url: URL,
    private readonly label: string,
    private readonly file: ServedFile = SERVED_ZIP,
  ) {}

  /** The whole file, if the server sent all of it (it ignores range requests) and it was small enough to keep. */
  async whole(): Promise<Uint8Array<ArrayBuffer> | undefined> {
    return this.#whole;
  }

  async getLength(): Promise<number> {
    if (this.#length !== undefined) return this.#length;
    const head = await this.#fetch({ method: "HEAD" }, "the size");
    head.done();
    this.#length = byteCount(head.response.headers.get("content-length"));
    if (this.#length !== undefined) return this.#length;
    // No size in the answer to HEAD (a chunked or compressed answer): a one-byte range tells it.
    const probe = await this.#fetch({ headers: { Range: "bytes=0-0" } }, "the size");
    if (probe.response.status === 200) {
      this.#whole = this.#readWhole(probe, 1);
      return (await this.#whole).byteLength;
    }
    probe.done();
    await probe.response.body?.cancel();
    this.#length = byteCount(/\/(\d+)$/.exec(probe.response.headers.get("content-range") ?? "")?.[1]);
    if (this.#length !== undefined) return this.#length;
    // Content-Range hidden from this page (another site that does not expose it): only whole.
    this.#whole = this.#readWhole(await this.#fetch(BULK_FETCH, "the whole file"), undefined);
    return (await this.#whole).byteLength;
  }

  async read(offset: number, size: number): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#whole) return this.#slice(await this.#whole, offset, size);
    if (size === 0) return new Uint8Array(0);
    const timed = await this.#fetch({ ...BULK_FETCH, headers: { Range: `bytes=${offset}-${offset + size - 1}` } }, `bytes ${offset}–${offset + size - 1}`);
    const { response } = timed;
    if (response.status === 200) {
      if (this.#whole) {
        timed.done();
        await response.body?.cancel();
      } else this.#whole = this.#readWhole(timed, size);
      return this.#slice(await this.#whole, offset, size);
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await bodyBytes(response, timed.alive, { lend: false });
    } finally {
      timed.done();
    }
    if (response.status !== 206 || bytes.byteLength !== size) {
      throw this.#unreliable(`answered a request for ${size} bytes at offset ${offset} with ${bytes.byteLength} bytes (HTTP ${response.status})`);
    }
    return bytes;
  }

  #slice(whole: Uint8Array<ArrayBuffer>, offset: number, size: number): Uint8Array<ArrayBuffer> {
    if (offset + size > whole.byteLength) {
      throw this.#unreliable(`sent ${whole.byteLength} bytes, too few for a read of ${size} bytes at offset ${offset}`);
    }
    return whole.subarray(offset, offset + size);
  }

  #unreliable(what: string): StoreError {
    return new StoreError(`${this.label}: the server ${what}, so the ${this.file.noun} cannot be read reliably. ${capitalized(this.file.instead)}.`, this.label);
  }

  /** The whole file from an answer that carries all of it; refused above WHOLE_DOWNLOAD_LIMIT. */
  async #readWhole(timed: TimedResponse, askedFor: number | undefined): Promise<Uint8Array<ArrayBuffer>> {
    try {
      return await this.#readWholeBody(timed, askedFor);
    } finally {
      timed.done();
    }
  }

  async #readWholeBody({ response, alive }: TimedResponse, askedFor: number | undefined): Promise<Uint8Array<ArrayBuffer>> {
    const size = byteCount(response.headers.get("content-length")) ?? this.#length;
    if (size !== undefined && size > WHOLE_DOWNLOAD_LIMIT) {
      await response.body?.cancel();
      throw this.#tooLargeWithoutRanges(size, askedFor);
    }
    let received = 0;
    let whole: Uint8Array<ArrayBuffer>;
    try {
      whole = await gatherAtMost(
        response.body!,
        WHOLE_DOWNLOAD_LIMIT,
        () => this.#tooLargeWithoutRanges(undefined, askedFor),
        (length) => {
          alive();
          received += length;
        },
      );
    } catch (error) {
      // Too large, or a stall (timedFetch's error), is told as itself.
      if (isDrawscopeError(error, "store")) throw error;
      throw new StoreError(`cannot read the whole file of ${this.label}: the download broke off after ${received} bytes (${(error as Error).message}). ${SERVER_REACH_HINT}`, this.label);
    }
    if (this.#length !== undefined && received !== this.#length) {
      throw this.#unreliable(`sent ${received} bytes for a file it said has ${this.#length}`);
    }
    this.#length = received;
    return whole;
  }

  #tooLargeWithoutRanges(size: number | undefined, askedFor: number | undefined): StoreError {
    const what = size === undefined ? `more than ${megabytes(WHOLE_DOWNLOAD_LIMIT)}` : megabytes(size);
    const why =
      askedFor === undefined
        ? `the server does not say the ${this.file.noun}'s size, so drawscope cannot read it by HTTP range requests`
        : `the server does not answer HTTP range requests: asked for ${askedFor} byte${askedFor === 1 ? "" : "s"}, it sent the whole file`;
    return new StoreError(
      `${this.label} is ${what}, and ${why}. drawscope reads a ${this.file.noun} over HTTP by ranges and downloads it whole only up to ` +
        `${megabytes(WHOLE_DOWNLOAD_LIMIT)}. Serve it from a server that supports range requests (Accept-Ranges: bytes), ` +
        `${this.file.instead}.`,
      this.label,
    );
  }

  async #fetch(init: RequestInit, what: string): Promise<TimedResponse> {
    let timed: TimedResponse;
    try {
      timed = await timedFetch(this.url, init, `cannot read ${what} of ${this.label}`);
    } catch (error) {
      if (isDrawscopeError(error, "store")) throw error;
      throw new StoreError(`cannot read ${what} of ${this.label}: ${(error as Error).message}. ${SERVER_REACH_HINT}`, this.label);
    }
    const { response } = timed;
    if (!response.ok) {
      timed.done();
      await response.body?.cancel();
      // HTTP/2 answers carry no status text.
      const status = [response.status, response.statusText].filter(Boolean).join(" ");
      const missing = response.status === 404 ? " (no file at that address)" : "";
      throw new StoreError(`cannot read ${what} of ${this.label}: the server answered HTTP ${status}${missing}.`, this.label);
    }
    return timed;
  }
}
