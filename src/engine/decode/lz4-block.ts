import { DrawscopeError } from "../errors.ts";

/** Stored bytes that do not decode as their format says (a truncated or corrupt chunk). */
export class CorruptChunkError extends DrawscopeError {
  override name = "CorruptChunkError";
  override readonly tag = "corrupt-chunk";
}

/** Matches and literals at least this long are copied by the engine's bulk copy; shorter ones byte by byte, which is faster for them. */
const BULK = 32;

/** A length of 15 or more: the bytes from `i` that follow its token add up until one is not 255. Returns the length and where the bytes end. */
function longLength(src: Uint8Array, i: number, to: number, length: number, what: string): [number, number] {
  let b: number;
  do {
    if (i >= to) throw new CorruptChunkError(`an LZ4 ${what} length runs past the block`);
    b = src[i++];
    length += b;
  } while (b === 255);
  return [length, i];
}

/**
 * Decode one LZ4 block (the raw block format, no frame) from `src[from, to)` into `dst[at, at + size)`,
 * which it must fill exactly. Every length and offset is checked against both buffers.
 */
export function decodeLz4Block(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number, size: number): void {
  const end = at + size;
  let i = from;
  let o = at;
  for (;;) {
    if (i >= to) throw new CorruptChunkError("an LZ4 block ends before its last literals");
    const token = src[i++];
    let literals = token >>> 4;
    if (literals === 15) [literals, i] = longLength(src, i, to, literals, "literal");
    if (i + literals > to || o + literals > end) throw new CorruptChunkError("LZ4 literals run past the block or its decoded size");
    if (literals >= BULK) dst.set(src.subarray(i, i + literals), o);
    else for (let k = 0; k < literals; k++) dst[o + k] = src[i + k];
    i += literals;
    o += literals;
    // The last sequence is literals only.
    if (i === to) break;
    if (i + 2 > to) throw new CorruptChunkError("an LZ4 match offset runs past the block");
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > o - at) throw new CorruptChunkError("an LZ4 match points before the start of the block");
    let length = token & 15;
    if (length === 15) [length, i] = longLength(src, i, to, length, "match");
    length += 4;
    if (o + length > end) throw new CorruptChunkError("an LZ4 match runs past the decoded size");
    const start = o - offset;
    // An overlapping match repeats what it is copying, so it goes byte by byte.
    if (length >= BULK && offset >= length) dst.copyWithin(o, start, start + length);
    else for (let k = 0; k < length; k++) dst[o + k] = dst[start + k];
    o += length;
  }
  if (o !== end) throw new CorruptChunkError(`an LZ4 block decodes to ${o - at} bytes, not the ${size} its header gives`);
}
