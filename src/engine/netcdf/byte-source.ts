/**
 * A file's bytes, read synchronously wherever they are: HDF5 (in h5wasm) reads its file through
 * blocking calls, so what backs the file must answer at once — a user's Blob through FileReaderSync,
 * a server's file through synchronous range requests (both only in a worker), or memory.
 */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /** Copy `target.length` bytes from `position` (within the file) into `target`; throw what went wrong. */
  read(position: number, target: Uint8Array): void;
}

/** A Blob (a dropped or picked file), read in slices: the file is never held whole. */
export function blobSource(blob: Blob): ByteSource {
  const reader = new FileReaderSync();
  return {
    size: blob.size,
    read(position, target) {
      target.set(new Uint8Array(reader.readAsArrayBuffer(blob.slice(position, position + target.length))));
    },
  };
}

/** Bytes already in memory (a small file a server sent whole). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read(position, target) {
      target.set(bytes.subarray(position, position + target.length));
    },
  };
}
