import { CorruptChunkError, decodeLz4Block } from "./lz4-block.ts";
import { takeBytes } from "./spare-buffers.ts";

/**
 * Blosc (version 1 format) frames whose blocks are LZ4-compressed, byte-shuffled or not: what
 * zarr-python and xarray write by default. numcodecs decodes them in WebAssembly, but its glue
 * copies the stored bytes into the module one byte at a time, which costs more than the
 * decompression itself (two thirds of decoding a float64 chunk); here the bytes are read where
 * they lie.
 */

const HEADER = 16;
const FLAG_SHUFFLE = 0x01;
const FLAG_MEMCPYED = 0x02;
const FLAG_BITSHUFFLE = 0x04;
const FLAG_DONT_SPLIT = 0x10;
const COMPRESSOR_LZ4 = 1;
/** Blosc splits a block into one stream per byte of the type only up to this type size, and for blocks of at least MIN_BUFFERSIZE elements. */
const MAX_SPLITS = 16;
const MIN_BUFFERSIZE = 128;

const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The frame's header fields this decoder needs. */
export interface BloscHeader {
  flags: number;
  typesize: number;
  nbytes: number;
  blocksize: number;
  cbytes: number;
}

export function bloscHeader(frame: Uint8Array): BloscHeader {
  if (frame.length < HEADER) throw new CorruptChunkError(`a Blosc chunk of ${frame.length} bytes is shorter than its 16-byte header`);
  return { flags: frame[2], typesize: frame[3], nbytes: u32(frame, 4), blocksize: u32(frame, 8), cbytes: u32(frame, 12) };
}

/** Whether this decoder reads the frame: stored as is, or LZ4 blocks with byte shuffle or none (else numcodecs does). */
export function handlesFrame({ flags }: BloscHeader): boolean {
  return (flags & FLAG_MEMCPYED) !== 0 || (flags >>> 5 === COMPRESSOR_LZ4 && (flags & FLAG_BITSHUFFLE) === 0);
}

/**
 * Undo Blosc's byte shuffle of `size` bytes of `src` into `dst` from `at`: byte j of element i was
 * stored at j·n + i; bytes past the last whole element are as they were.
 */
function unshuffle(src: Uint8Array, dst: Uint8Array, at: number, size: number, typesize: number): void {
  const n = Math.floor(size / typesize);
  // Elements of 4 and 8 bytes (float32, float64, int32, int64) four at a time, by whole words.
  if ((typesize === 4 || typesize === 8) && n % 4 === 0 && src.byteOffset % 4 === 0 && (dst.byteOffset + at) % 4 === 0) unshuffleQuads(src, n, dst, at, typesize);
  else {
    for (let j = 0; j < typesize; j++) {
      const plane = j * n;
      for (let i = 0, o = at + j; i < n; i++, o += typesize) dst[o] = src[plane + i];
    }
  }
  const whole = n * typesize;
  dst.set(src.subarray(whole, size), at + whole);
}

/**
 * The `n` elements (a multiple of 4) of a 4- or 8-byte type: one 32-bit word from each byte plane holds
 * that byte of four consecutive elements, and a 4 × 4 byte transpose of four planes' words gives the
 * four elements' words (little-endian, as every platform drawscope runs on is). A quarter of the
 * loads of reading byte by byte. Int32, not Uint32: the words are signed 32-bit integers.
 */
function unshuffleQuads(src: Uint8Array, n: number, dst: Uint8Array, at: number, typesize: number): void {
  const quads = n / 4;
  const planes = Array.from({ length: typesize }, (_, j) => new Int32Array(src.buffer, src.byteOffset + j * n, quads));
  const out = new Int32Array(dst.buffer, dst.byteOffset + at, quads * typesize);
  const words = typesize / 4;
  for (let w = 0; w < words; w++) {
    const [a, b, c, d] = planes.slice(4 * w, 4 * w + 4);
    for (let q = 0, o = w; q < quads; q++, o += 4 * words) {
      const A = a[q];
      const B = b[q];
      const C = c[q];
      const D = d[q];
      // Bytes (A0 B0 A2 B2), (A1 B1 A3 B3), (C0 D0 C2 D2), (C1 D1 C3 D3), least significant first.
      const ab02 = (A & 0x00ff00ff) | ((B & 0x00ff00ff) << 8);
      const ab13 = ((A >>> 8) & 0x00ff00ff) | (B & 0xff00ff00);
      const cd02 = (C & 0x00ff00ff) | ((D & 0x00ff00ff) << 8);
      const cd13 = ((C >>> 8) & 0x00ff00ff) | (D & 0xff00ff00);
      out[o] = (ab02 & 0xffff) | (cd02 << 16);
      out[o + words] = (ab13 & 0xffff) | (cd13 << 16);
      out[o + 2 * words] = (ab02 >>> 16) | (cd02 & 0xffff0000);
      out[o + 3 * words] = (ab13 >>> 16) | (cd13 & 0xffff0000);
    }
  }
}

/** A shuffled block's streams, decompressed or copied here to be unshuffled; reused from frame to frame. */
let scratch = new Uint8Array(0);

/** Block `b`'s place in the decoded chunk and the streams it is stored in, as c-blosc 1 splits a block when it decompresses one. */
function blockLayout({ flags, typesize, nbytes, blocksize }: BloscHeader, b: number): { start: number; size: number; streams: number; streamSize: number } {
  const start = b * blocksize;
  const size = Math.min(blocksize, nbytes - start);
  const leftover = size < blocksize;
  const splittable = (flags & FLAG_DONT_SPLIT) === 0 && typesize <= MAX_SPLITS;
  const streams = splittable && !leftover && blocksize / typesize >= MIN_BUFFERSIZE ? typesize : 1;
  const streamSize = size / streams;
  if (!Number.isInteger(streamSize)) throw new CorruptChunkError(`a Blosc block of ${size} bytes cannot split into ${streams} streams`);
  return { start, size, streams, streamSize };
}

/** The number of blocks of a compressed frame, after checking that their offsets lie in it. */
function blockCount(frame: Uint8Array, { nbytes, blocksize }: BloscHeader): number {
  if (blocksize === 0) throw new CorruptChunkError("a Blosc chunk has blocks of 0 bytes");
  const blocks = Math.ceil(nbytes / blocksize);
  if (HEADER + 4 * blocks > frame.length) throw new CorruptChunkError(`a Blosc chunk's ${blocks} block offsets run past its ${frame.length} bytes`);
  return blocks;
}

/**
 * The frame within the bytes stored for a chunk: its first `cbytes`, as its header says. c-blosc
 * reads nothing past them, so neither does drawscope, and a header that says more than is stored
 * is an error.
 */
export function bloscFrame(bytes: Uint8Array, header: BloscHeader = bloscHeader(bytes)): Uint8Array {
  const { cbytes } = header;
  if (cbytes > bytes.length) throw new CorruptChunkError(`a Blosc chunk says it holds ${cbytes} bytes but ${bytes.length} are stored`);
  if (cbytes < HEADER) throw new CorruptChunkError(`a Blosc chunk says it holds ${cbytes} bytes, less than its 16-byte header`);
  return bytes.subarray(0, cbytes);
}

/**
 * Check that every stream of every block lies within the frame, as the frames numcodecs decodes
 * must: its WebAssembly build does not report c-blosc's errors, and gives whatever its buffer held
 * for a frame that runs past its end.
 */
export function checkBloscStreams(frame: Uint8Array, header: BloscHeader): void {
  if (header.flags & FLAG_MEMCPYED) {
    if (HEADER + header.nbytes > frame.length) throw new CorruptChunkError(`a stored Blosc chunk of ${header.nbytes} bytes is cut short at ${frame.length - HEADER}`);
    return;
  }
  if (header.nbytes === 0) return;
  const blocks = blockCount(frame, header);
  for (let b = 0; b < blocks; b++) {
    const { streams } = blockLayout(header, b);
    let i = u32(frame, HEADER + 4 * b);
    for (let s = 0; s < streams; s++) {
      if (i + 4 > frame.length || i + 4 + u32(frame, i) > frame.length) throw new CorruptChunkError(`block ${b} of a Blosc chunk runs past its ${frame.length} bytes`);
      i += 4 + u32(frame, i);
    }
  }
}

/** Decode the frame in a chunk's stored bytes (`bloscFrame`) that `handlesFrame` accepts into a buffer of its `nbytes` (a spare one when there is one: every byte is written). */
export function decodeBloscFrame(bytes: Uint8Array, header: BloscHeader = bloscHeader(bytes)): Uint8Array {
  const { flags, typesize, nbytes, blocksize } = header;
  const frame = bloscFrame(bytes, header);
  const out = takeBytes(nbytes);
  if (flags & FLAG_MEMCPYED) {
    if (HEADER + nbytes > frame.length) throw new CorruptChunkError(`a stored Blosc chunk of ${nbytes} bytes is cut short at ${frame.length - HEADER}`);
    out.set(frame.subarray(HEADER, HEADER + nbytes));
    return out;
  }
  if (nbytes === 0) return out;
  const blocks = blockCount(frame, header);
  const shuffled = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
  // A shuffled block is decoded into `scratch`, then unshuffled into `out`; any other in place.
  if (shuffled && scratch.length < Math.min(blocksize, nbytes)) scratch = new Uint8Array(Math.min(blocksize, nbytes));
  const into = shuffled ? scratch : out;
  for (let b = 0; b < blocks; b++) {
    const { start, size, streams, streamSize } = blockLayout(header, b);
    let at = shuffled ? 0 : start;
    let i = u32(frame, HEADER + 4 * b);
    for (let s = 0; s < streams; s++) {
      if (i + 4 > frame.length) throw new CorruptChunkError(`block ${b} of a Blosc chunk runs past its ${frame.length} bytes`);
      const stored = u32(frame, i);
      i += 4;
      if (i + stored > frame.length) throw new CorruptChunkError(`block ${b} of a Blosc chunk runs past its ${frame.length} bytes`);
      // A stream that would not compress is stored as is.
      if (stored === streamSize) into.set(frame.subarray(i, i + stored), at);
      else decodeLz4Block(frame, i, i + stored, into, at, streamSize);
      i += stored;
      at += streamSize;
    }
    if (shuffled) unshuffle(scratch, out, start, size, typesize);
  }
  return out;
}
