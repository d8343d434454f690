/** A CSV file to read as one chain: its name (for messages and the chains' order), its size when known, and its bytes. */
export interface CsvFile {
  name: string;
  size?: number;
  /** The file's bytes from the start, in chunks cut anywhere. */
  chunks(): AsyncIterable<Uint8Array>;
}

/** Bytes read from a Blob at a time: large enough that each read's cost is small beside parsing it. */
const SLICE_BYTES = 4 << 20;

async function* blobSlices(blob: Blob): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < blob.size; at += SLICE_BYTES) yield new Uint8Array(await blob.slice(at, at + SLICE_BYTES).arrayBuffer());
}

/** A file held in a Blob (a dropped or picked File, `fs.openAsBlob` in Node), read slice by slice. */
export function blobFile(name: string, blob: Blob): CsvFile {
  return { name, size: blob.size, chunks: () => blobSlices(blob) };
}

/** The chunks of a byte stream (a download, an inflated zip entry); stopping early cancels the stream. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}
