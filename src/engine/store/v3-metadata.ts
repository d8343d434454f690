import type { AbsolutePath, GetOptions } from "@zarrita/storage";
import { defineStoreExtension } from "zarrita";
import { rewriteFixedLengthUtf32, type MaybeArrayMeta } from "./fixed-length-utf32.ts";
import { rewriteHexFillValue } from "./hex-fill-value.ts";

/** The rewrites of one array's v3 metadata that zarrita needs to read it as written; true when any changed it. */
function rewriteArray(meta: MaybeArrayMeta, where: string): boolean {
  const dataType = rewriteFixedLengthUtf32(meta, where);
  return rewriteHexFillValue(meta) || dataType;
}

/**
 * Rewrite one zarr.json document (at `key`), and the arrays of its inline consolidated metadata:
 * fixed_length_utf32 as `v2:U{n}` and a float's hex fill value as its number. Returns the new
 * bytes, or the input when nothing changed.
 */
export function rewriteZarrJson(bytes: Uint8Array, key = "zarr.json"): Uint8Array {
  let meta: MaybeArrayMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes)) as MaybeArrayMeta;
  } catch {
    return bytes;
  }
  const node = key.replace(/^\//, "").replace(/\/?zarr\.json$/, "") || "the root";
  let changed = rewriteArray(meta, node);
  for (const [path, child] of Object.entries(meta.consolidated_metadata?.metadata ?? {})) {
    changed = rewriteArray(child, path) || changed;
  }
  return changed ? new TextEncoder().encode(JSON.stringify(meta)) : bytes;
}

/** A store whose zarr.json documents are read through rewriteZarrJson. */
export const withV3Metadata = defineStoreExtension((store) => ({
  async get(key: AbsolutePath, options?: GetOptions): Promise<Uint8Array | undefined> {
    const bytes = await store.get(key, options);
    return bytes && key.endsWith("zarr.json") ? rewriteZarrJson(bytes, key) : bytes;
  },
}));
