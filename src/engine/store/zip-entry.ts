import type { ZipInfo } from "unzipit";
import { inflate } from "../decode/inflate.ts";
import { readAtMost } from "../decode/read-at-most.ts";
import { isDrawscopeError, StoreError } from "../errors.ts";
import { MAX_PIECE_BYTES } from "./types.ts";
import type { ZipReader } from "./zip.ts";

export type ZipEntry = ZipInfo["entries"][string];

/** Compressed bytes read at a time: a few range requests for a large entry over HTTP. */
const SLICE_BYTES = 4 << 20;
const STORED = 0;
const DEFLATED = 8;

const count = (n: number) => n.toLocaleString("en-US");

/** Where an entry's data starts: after its local header, whose name and extra field lengths vary. */
export async function dataOffset(reader: ZipReader, entry: ZipEntry): Promise<number> {
  // unzipit keeps the central directory's offset of the local header on the entry, unexported;
  // zarrita's own ZipFileStore reads it the same way for range reads.
  const { relativeOffsetOfLocalHeader: at } = (entry as unknown as { _rawEntry: { relativeOffsetOfLocalHeader: number } })._rawEntry;
  const header = await reader.read(at, 30);
  return at + 30 + (header[26] | (header[27] << 8)) + (header[28] | (header[29] << 8));
}

export const isStored = (entry: ZipEntry) => entry.compressionMethod === STORED;

/** The bytes from `start` in slices (readers answer with fresh, unshared buffers). */
async function* slices(reader: ZipReader, start: number, length: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for (let at = 0; at < length; at += SLICE_BYTES) yield (await reader.read(start + at, Math.min(SLICE_BYTES, length - at))) as Uint8Array<ArrayBuffer>;
}

function streamOf<T>(chunks: AsyncGenerator<T>): ReadableStream<T> {
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

const damaged = (name: string, what: string) => new StoreError(`zip entry ${name} ${what}: the zip is damaged`, name);
const inflatesPast = (name: string, entry: ZipEntry) => damaged(name, `inflates past the ${count(entry.size)} bytes the zip's directory gives it`);
const inflatesShort = (name: string, entry: ZipEntry, seen: number) => damaged(name, `inflates to ${count(seen)} bytes where the zip's directory gives it ${count(entry.size)}`);

/**
 * Pass an entry's inflated bytes on while they stay within the size the zip's directory gives it,
 * and end with an error when they pass it or stop short: a lying entry is never inflated past
 * what it says.
 */
function boundedTo(entry: ZipEntry, name: string): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > entry.size) throw inflatesPast(name, entry);
      controller.enqueue(chunk);
    },
    flush() {
      if (seen < entry.size) throw inflatesShort(name, entry, seen);
    },
  });
}

/** An entry's bytes as they are inflated (the browser's and Node's DecompressionStream), read by range in slices. */
function inflating(reader: ZipReader, entry: ZipEntry, name: string): ReadableStream<Uint8Array> {
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw new StoreError(`${name} is compressed with zip method ${entry.compressionMethod}, which drawscope cannot read: zip it again with the usual deflate`, name);
  }
  async function* raw(): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    yield* slices(reader, await dataOffset(reader, entry), entry.compressedSize);
  }
  const stream = streamOf(raw());
  return isStored(entry) ? stream : inflate(stream, "deflate-raw", entry.size);
}

/**
 * An entry's contents as a stream of chunks, inflated as they are read, so a large entry is never
 * held whole, and never past its stated size.
 */
export function zipEntryStream(reader: ZipReader, entry: ZipEntry, name: string): ReadableStream<Uint8Array> {
  return inflating(reader, entry, name).pipeThrough(boundedTo(entry, name));
}

/**
 * An entry's contents whole. Its size, as the zip's directory gives it, is checked against
 * `maxBytes` (what a chunk can take, when its reader knows) before anything is read, and the
 * entry is inflated into a buffer of that size and no further: a few kilobytes that inflate to
 * gigabytes are refused, whether the directory says so or lies.
 */
export async function readZipEntry(reader: ZipReader, entry: ZipEntry, name: string, maxBytes?: number): Promise<Uint8Array> {
  const limit = maxBytes ?? MAX_PIECE_BYTES;
  if (entry.size > limit) {
    throw maxBytes === undefined
      ? new StoreError(`zip entry ${name} holds ${count(entry.size)} bytes, more than drawscope inflates from one entry (${count(limit)}): unzip it and open the folder`, name)
      : damaged(name, `says it holds ${count(entry.size)} bytes, more than the ${count(limit)} its chunk can take`);
  }
  if (isStored(entry)) {
    if (entry.compressedSize !== entry.size) throw damaged(name, `is stored in ${count(entry.compressedSize)} bytes where the zip's directory gives it ${count(entry.size)}`);
    return reader.read(await dataOffset(reader, entry), entry.size);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(inflating(reader, entry, name), entry.size, () => inflatesPast(name, entry));
  } catch (cause) {
    if (isDrawscopeError(cause)) throw cause;
    throw damaged(name, `does not inflate (${(cause as Error).message})`);
  }
  if (bytes.length < entry.size) throw inflatesShort(name, entry, bytes.length);
  return bytes;
}
