import { defineStoreExtension } from "zarrita";
import type { AbsolutePath, GetOptions } from "@zarrita/storage";

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

function rewriteDataType(meta: MaybeArrayMeta): boolean {
  const dt = meta.data_type as { name?: unknown; configuration?: { length_bytes?: unknown } } | undefined;
  if (!dt || typeof dt !== "object" || dt.name !== "fixed_length_utf32") return false;
  const bytes = Number(dt.configuration?.length_bytes);
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes % 4 !== 0) return false;
  meta.data_type = `v2:U${bytes / 4}`;
  if (typeof meta.fill_value !== "string") meta.fill_value = "";
  return true;
}

/** Rewrite one zarr.json document; returns the new bytes, or the input when nothing changed. */
export function rewriteZarrJson(bytes: Uint8Array): Uint8Array {
  let meta: MaybeArrayMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes)) as MaybeArrayMeta;
  } catch {
    return bytes;
  }
  let changed = rewriteDataType(meta);
  for (const child of Object.values(meta.consolidated_metadata?.metadata ?? {})) {
    changed = rewriteDataType(child) || changed;
  }
  return changed ? new TextEncoder().encode(JSON.stringify(meta)) : bytes;
}

export const withFixedLengthUtf32 = defineStoreExtension((store) => ({
  async get(key: AbsolutePath, options?: GetOptions): Promise<Uint8Array | undefined> {
    const bytes = await store.get(key, options);
    return bytes && key.endsWith("zarr.json") ? rewriteZarrJson(bytes) : bytes;
  },
}));
