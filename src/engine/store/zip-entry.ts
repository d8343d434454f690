import type { ZipInfo } from "unzipit";
import { StoreError } from "../errors.ts";
import type { ZipReader } from "./zip.ts";

type ZipEntry = ZipInfo["entries"][string];

/** Compressed bytes read at a time: a few range requests for a large entry over HTTP. */
const SLICE_BYTES = 4 << 20;
const STORED = 0;
const DEFLATED = 8;

/** Where an entry's data starts: after its local header, whose name and extra field lengths vary. */
async function dataOffset(reader: ZipReader, entry: ZipEntry): Promise<number> {
  // unzipit keeps the central directory's offset of the local header on the entry, unexported;
  // zarrita's own ZipFileStore reads it the same way for range reads.
  const { relativeOffsetOfLocalHeader: at } = (entry as unknown as { _rawEntry: { relativeOffsetOfLocalHeader: number } })._rawEntry;
  const header = await reader.read(at, 30);
  return at + 30 + (header[26] | (header[27] << 8)) + (header[28] | (header[29] << 8));
}

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

/**
 * An entry's contents as a stream of chunks, inflated as they are read (the browser's and Node's
 * DecompressionStream), so a large entry is never held whole.
 */
export function zipEntryStream(reader: ZipReader, entry: ZipEntry, name: string): ReadableStream<Uint8Array> {
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw new StoreError(`${name} is compressed with zip method ${entry.compressionMethod}, which drawscope cannot read: zip it again with the usual deflate`, name);
  }
  async function* raw(): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    yield* slices(reader, await dataOffset(reader, entry), entry.compressedSize);
  }
  const stream = streamOf(raw());
  return entry.compressionMethod === STORED ? stream : stream.pipeThrough(new DecompressionStream("deflate-raw"));
}
