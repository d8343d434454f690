/** The most deflate expands one compressed byte to: about 1032 (zlib's technical notes). */
const MAX_EXPANSION = 1032;
const MIN_PIECE = 1 << 10;
const MAX_PIECE = 1 << 16;

/** Compressed bytes given to the inflater at a time, for an output meant to be at most `bound` bytes (see inflate). */
export const pieceBytes = (bound: number) => Math.min(MAX_PIECE, Math.max(MIN_PIECE, Math.ceil(bound / MAX_EXPANSION)));

/**
 * `compressed` inflated by the platform's DecompressionStream, given to it in pieces of which each
 * inflates to about `bound` bytes at most. Chromium inflates all of a piece it is given before its
 * reader hears of any: a 64 KB gzip bomb given whole became 64 MB (0.8 s) before the reader could
 * stop it, and 4 MB of a zip entry read at once far more. A reader that stops once the output
 * passes `bound` now waits for one piece's worth.
 */
export function inflate(compressed: ReadableStream<Uint8Array>, format: CompressionFormat, bound: number): ReadableStream<Uint8Array> {
  const size = pieceBytes(bound);
  const pieces = new TransformStream<Uint8Array, Uint8Array<ArrayBuffer>>({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.byteLength; at += size) controller.enqueue(chunk.subarray(at, at + size) as Uint8Array<ArrayBuffer>);
    },
  });
  return compressed.pipeThrough(pieces).pipeThrough(new DecompressionStream(format));
}
