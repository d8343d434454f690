/**
 * A stream's bytes gathered into one buffer of `capacity`. As soon as more arrive, the stream is
 * cancelled and `over()` thrown: an inflating stream is cut off at what its chunk or zip entry may
 * hold, so a decompression bomb is never held. A stream that ends early gives a shorter view (its
 * reader says whether that is an error).
 */
export async function readAtMost(stream: ReadableStream<Uint8Array>, capacity: number, over: () => Error): Promise<Uint8Array> {
  const out = new Uint8Array(capacity);
  const reader = stream.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out.subarray(0, at);
    if (at + value.byteLength > capacity) {
      await reader.cancel().catch(() => undefined);
      throw over();
    }
    out.set(value, at);
    at += value.byteLength;
  }
}

/**
 * A stream's bytes, however many, up to `limit`: gathered piece by piece and joined at the end, for
 * a stream whose length nobody said. Past the limit the stream is cancelled and `over()` thrown.
 * `onPiece` hears of each piece's length as it arrives.
 */
export async function gatherAtMost(stream: ReadableStream<Uint8Array>, limit: number, over: () => Error, onPiece: (length: number) => void = () => undefined): Promise<Uint8Array<ArrayBuffer>> {
  const pieces: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onPiece(value.byteLength);
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw over();
    }
    pieces.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}
