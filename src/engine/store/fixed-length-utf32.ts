import { StoreError } from "../errors.ts";

/**
 * zarr-python 3 writes numpy `<U` strings as the v3 extension data type `fixed_length_utf32`,
 * which zarrita does not know. Its bytes are exactly numpy's `<U{n}` layout (n UTF-32LE code
 * points, zero padded), which zarrita reads for v2 as `v2:U{n}`; the array's metadata is
 * rewritten (v3-metadata.ts) so that it opens as that type. Chunks are untouched.
 */

export interface MaybeArrayMeta {
  data_type?: unknown;
  fill_value?: unknown;
  consolidated_metadata?: { metadata?: Record<string, MaybeArrayMeta> };
}

/** Rewrite a fixed_length_utf32 data type of an array's metadata in place as `v2:U{n}`; true when it changed. */
export function rewriteFixedLengthUtf32(meta: MaybeArrayMeta, where: string): boolean {
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
