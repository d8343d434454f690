import { defineStoreExtension } from "zarrita";
import type { AbsolutePath, GetOptions } from "@zarrita/storage";
import { StoreError } from "../errors.ts";

/**
 * zarr-python 3 writes numpy `<U` strings as the v3 extension data type `fixed_length_utf32`,
 * which zarrita does not know. Its bytes are exactly numpy's `<U{n}` layout (n UTF-32LE code
 * points, zero padded), which zarrita reads for v2 as `v2:U{n}`; this extension rewrites the
 * metadata it is handed (each array's zarr.json and the root's inline consolidated metadata) so
 * the array opens as that type. Chunks are untouched.
 */

interface MaybeArrayMeta {
  data_type?: unknown;
  fill_value?: unknown;
  consolidated_metadata?: { metadata?: Record<string, MaybeArrayMeta> };
}

function rewriteDataType(meta: MaybeArrayMeta, where: string): boolean {
  const dt = meta.data_type as { name?: unknown; configuration?: { length_bytes?: unknown } } | undefined;
  if (!dt || typeof dt !== "object" || dt.name !== "fixed_length_utf32") return false;
  const raw = dt.configuration?.length_bytes;
  const bytes = typeof raw === "number" ? raw : Number.NaN;
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes % 4 !== 0) {
    throw new StoreError(
      `${where} has the data type fixed_length_utf32 with length_bytes ${JSON.stringify(raw)}: it must be a whole number of bytes, a positive multiple of 4 (UTF-32 code points). Its metadata is damaged.`,
      where,
    );
  }
  meta.data_type = `v2:U${bytes / 4}`;
  if (typeof meta.fill_value !== "string") meta.fill_value = "";
  return true;
}

/** Rewrite one zarr.json document (at `key`); returns the new bytes, or the input when nothing changed. */
export function rewriteZarrJson(bytes: Uint8Array, key = "zarr.json"): Uint8Array {
  let meta: MaybeArrayMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes)) as MaybeArrayMeta;
  } catch {
    return bytes;
  }
  const node = key.replace(/^\//, "").replace(/\/?zarr\.json$/, "") || "the root";
  let changed = rewriteDataType(meta, node);
  for (const [path, child] of Object.entries(meta.consolidated_metadata?.metadata ?? {})) {
    changed = rewriteDataType(child, path) || changed;
  }
  return changed ? new TextEncoder().encode(JSON.stringify(meta)) : bytes;
}

export const withFixedLengthUtf32 = defineStoreExtension((store) => ({
  async get(key: AbsolutePath, options?: GetOptions): Promise<Uint8Array | undefined> {
    const bytes = await store.get(key, options);
    return bytes && key.endsWith("zarr.json") ? rewriteZarrJson(bytes, key) : bytes;
  },
}));
