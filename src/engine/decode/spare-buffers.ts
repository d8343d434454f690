/**
 * Buffers no longer needed, kept by a thread for the next ones of about their size: the chunks a
 * pool worker decoded (once the reader has copied from them), and the stored bytes it decoded from
 * (for the reader's next response body). A fresh buffer per chunk makes a thread touch new pages
 * and the collector free old ones, which over gigabytes of chunks costs seconds.
 */

/** More would hold memory for sizes that may not come again. */
const MAX_SPARE = 4;
/** A body is read into a spare buffer at most this much bigger than itself. */
const SLACK = 1.25;
const spare: ArrayBuffer[] = [];
/** Buffers lent out whole to one user by `ownedView`, which may move them to a worker though its view is shorter. */
const lent = new WeakSet<ArrayBuffer>();

/** Keep a buffer nothing else holds for later (the oldest is dropped when full). */
export function giveBuffer(buffer: ArrayBuffer): void {
  if (spare.length === MAX_SPARE) spare.shift();
  spare.push(buffer);
}

/** `bytes` bytes to decode or read into, on a spare buffer of exactly that size when there is one. Their content is stale: write every byte. */
export function takeBytes(bytes: number): Uint8Array<ArrayBuffer> {
  const i = spare.findIndex((b) => b.byteLength === bytes);
  return i >= 0 ? new Uint8Array(spare.splice(i, 1)[0]) : new Uint8Array(bytes);
}

/** A buffer of at least `bytes` bytes to read into: a spare one not much bigger when there is one. */
export function takeBuffer(bytes: number): ArrayBuffer {
  let best = -1;
  spare.forEach((b, i) => {
    if (b.byteLength >= bytes && b.byteLength <= bytes * SLACK && (best < 0 || b.byteLength < spare[best].byteLength)) best = i;
  });
  return best >= 0 ? spare.splice(best, 1)[0] : new ArrayBuffer(bytes);
}

/** The first `length` bytes of a buffer its one user holds whole (one from takeBuffer, read into), so that moving the buffer moves nothing else. */
export function ownedView(buffer: ArrayBuffer, length: number): Uint8Array<ArrayBuffer> {
  lent.add(buffer);
  return new Uint8Array(buffer, 0, length);
}

/** A lent buffer its one user is done with (see ownedView): kept for the next read. Any other buffer is left alone. */
export function giveBackLent(buffer: ArrayBufferLike): void {
  if (!isLent(buffer)) return;
  lent.delete(buffer as ArrayBuffer);
  giveBuffer(buffer as ArrayBuffer);
}

/** Whether a buffer was lent whole by `ownedView`: one read into, worth giving back once used. */
export const isLent = (buffer: ArrayBufferLike) => buffer instanceof ArrayBuffer && lent.has(buffer);

/** Whether a view's buffer holds nothing but it (an ownedView's), so the buffer may move with it. */
export function ownsBuffer(view: ArrayBufferView): boolean {
  return view.byteOffset === 0 && view.buffer instanceof ArrayBuffer && (view.byteLength === view.buffer.byteLength || lent.has(view.buffer));
}
