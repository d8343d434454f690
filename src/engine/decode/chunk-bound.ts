import { CorruptChunkError } from "./lz4-block.ts";

/** What zarrita tells a codec of the chunks it decodes (the second argument of `fromConfig`). */
export interface ChunkMeta {
  dataType?: string;
  shape?: readonly number[];
}

const BYTES: Record<string, number> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, float16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8 };

/**
 * The bytes a decoded chunk of this shape and type takes, which a decompressor must not exceed;
 * undefined for variable-length strings, whose size the metadata does not bound.
 */
export function chunkBytes(meta: ChunkMeta | undefined): number | undefined {
  if (!meta?.dataType || !meta.shape) return undefined;
  const fixed = /^v2:[US](\d+)$/.exec(meta.dataType);
  const size = fixed ? Number(fixed[1]) * (meta.dataType[3] === "U" ? 4 : 1) : BYTES[meta.dataType.replace(/^v2:/, "")];
  return size === undefined ? undefined : meta.shape.reduce((a, b) => a * b, size);
}

/** Refuse a compressed chunk that says it inflates past what its shape and type take: a damaged or hostile chunk, not read. */
export function checkInflatedSize(codec: string, claimed: number, bound: number | undefined): void {
  if (bound !== undefined && claimed > bound) {
    throw new CorruptChunkError(
      `a ${codec} chunk says it inflates to ${claimed.toLocaleString("en-US")} bytes, more than the ${bound.toLocaleString("en-US")} its shape and type take: the chunk is damaged`,
    );
  }
}
