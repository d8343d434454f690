import { streamChunks } from "../cmdstan/csv-file.ts";
import { isCsvName } from "../cmdstan/detect.ts";
import { openCmdStan, type CmdStanOptions } from "../cmdstan/open.ts";
import { openNetcdfUrl } from "../netcdf/open.ts";
import { isDrawscopeError, SERVER_REACH_HINT, StoreError } from "../errors.ts";
import { CachedStore, DEFAULT_CACHE_BYTES } from "./cached.ts";
import { BULK_FETCH, FolderFetchStore } from "./fetch-body.ts";
import { HttpRangeReader } from "./http-ranges.ts";
import { timedFetch, type TimedResponse } from "./timed-fetch.ts";
import type { TraceStore } from "./types.ts";
import { openZip } from "./zip.ts";

export interface UrlOptions extends CmdStanOptions {
  /** The most chunk bytes kept for re-reading (metadata documents are kept apart, all of them). */
  cacheBytes?: number;
}

/** A CmdStan CSV file (one chain) served over HTTP(S), read as it downloads. */
async function openCsvUrl(url: URL, label: string, options: CmdStanOptions): Promise<TraceStore> {
  let timed: TimedResponse;
  try {
    timed = await timedFetch(url, { ...BULK_FETCH, signal: options.signal }, `cannot read ${label}`);
  } catch (error) {
    options.signal?.throwIfAborted();
    if (isDrawscopeError(error, "store")) throw error;
    throw new StoreError(`cannot read ${label}: ${(error as Error).message}. ${SERVER_REACH_HINT}`, label);
  }
  const { response } = timed;
  if (!response.ok || !response.body) {
    timed.done();
    await response.body?.cancel();
    const status = [response.status, response.statusText].filter(Boolean).join(" ");
    throw new StoreError(`cannot read ${label}: the server answered HTTP ${status}${response.status === 404 ? " (no file at that address)" : ""}.`, label);
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const name = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf("/") + 1));
  const body = response.body;
  async function* download(): AsyncGenerator<Uint8Array> {
    let received = 0;
    try {
      for await (const chunk of streamChunks(body)) {
        received += chunk.length;
        // The wait for the server stops while the chunk is parsed, and starts again after.
        timed.done();
        yield chunk;
        timed.alive();
      }
    } catch (error) {
      options.signal?.throwIfAborted();
      // A stall is told as itself (timedFetch's error).
      if (isDrawscopeError(error, "store")) throw error;
      throw new StoreError(`the download of ${label} broke off after ${received} bytes (${(error as Error).message}). ${SERVER_REACH_HINT}`, label);
    } finally {
      timed.done();
    }
  }
  return openCmdStan([{ name, size: Number.isSafeInteger(length) ? length : undefined, chunks: download }], label, options);
}

/**
 * A store served over HTTP(S): a Zarr folder, or a .zip or netCDF file read by HTTP range
 * requests. Either way each metadata document is fetched once and recently read chunks are kept
 * (see CachedStore). A .csv address is CmdStan's output for one chain, read as it downloads.
 */
export async function openUrl(url: string, options: UrlOptions = {}): Promise<TraceStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(`'${url}' is not a URL: give a full address such as https://example.org/trace.zarr`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new StoreError(`'${url}' is not an http(s) URL: only stores served over HTTP can be opened by address`);
  }
  if (isCsvName(parsed.pathname)) return openCsvUrl(parsed, url, options);
  const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  if (/\.(nc|nc4|h5|hdf5)$/i.test(parsed.pathname)) {
    const netcdf = await openNetcdfUrl(parsed, url);
    return { ...netcdf, store: new CachedStore(netcdf.store, cacheBytes) };
  }
  if (parsed.pathname.toLowerCase().endsWith(".zip")) {
    const zip = await openZip(new HttpRangeReader(parsed, url), url, options);
    // A zip of CmdStan's CSV files is already held in memory, read: nothing to cache.
    return zip.origin ? zip : { ...zip, store: new CachedStore(zip.store, cacheBytes) };
  }
  return { store: new CachedStore(new FolderFetchStore(parsed.href.replace(/\/+$/, "")), cacheBytes), label: url };
}
