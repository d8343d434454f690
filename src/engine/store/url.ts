import FetchStore from "@zarrita/storage/fetch";
import { StoreError } from "../errors.ts";
import { HttpZipReader } from "./http-zip.ts";
import type { TraceStore } from "./types.ts";
import { openZip } from "./zip.ts";

/** A store served over HTTP(S): a Zarr folder, or a .zip read by HTTP range requests. */
export async function openUrl(url: string): Promise<TraceStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(`'${url}' is not a URL: give a full address such as https://example.org/trace.zarr`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new StoreError(`'${url}' is not an http(s) URL: only stores served over HTTP can be opened by address`);
  }
  if (parsed.pathname.toLowerCase().endsWith(".zip")) return openZip(new HttpZipReader(parsed, url), url);
  return { store: new FetchStore(parsed.href.replace(/\/+$/, "")), label: url };
}
