import FetchStore from "@zarrita/storage/fetch";
import { StoreError } from "../errors.ts";
import { CachedStore, DEFAULT_CACHE_BYTES } from "./cached.ts";
import { HttpZipReader } from "./http-zip.ts";
import type { TraceStore } from "./types.ts";
import { openZip } from "./zip.ts";

export interface UrlOptions {
  /** The most chunk bytes kept for re-reading (metadata documents are kept apart, all of them). */
  cacheBytes?: number;
}

/**
 * A store served over HTTP(S): a Zarr folder, or a .zip read by HTTP range requests. Either way
 * each metadata document is fetched once and recently read chunks are kept (see CachedStore).
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
  const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  if (parsed.pathname.toLowerCase().endsWith(".zip")) {
    const zip = await openZip(new HttpZipReader(parsed, url), url);
    return { ...zip, store: new CachedStore(zip.store, cacheBytes) };
  }
  return { store: new CachedStore(new FetchStore(parsed.href.replace(/\/+$/, "")), cacheBytes), label: url };
}
