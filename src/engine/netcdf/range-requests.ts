import { SERVER_REACH_HINT, StoreError } from "../errors.ts";
import type { ByteSource } from "./byte-source.ts";

/**
 * Reads smaller than this go through blocks of this size, kept for re-reading: HDF5 reads its
 * metadata (object headers, B-tree nodes) in many small pieces close together, which one request
 * per block answers. Larger reads (a chunk's data) are requested as they are.
 */
const BLOCK_BYTES = 128 << 10;
/** How many blocks are kept (the least recently used goes first): 32 MiB. */
const KEPT_BLOCKS = 256;
/** A request that has not finished in this long fails, rather than leaving the trace hanging. */
const TIMEOUT_MS = 60_000;

/**
 * A netCDF file on a server that answers HTTP range requests, read synchronously (HDF5 reads
 * through blocking calls) with synchronous XMLHttpRequests: only in a worker, where they block
 * nothing the user sees. Only the ranges HDF5 asks for are requested.
 */
export function rangeRequestSource(url: string, size: number, label: string): ByteSource {
  function request(start: number, length: number): Uint8Array {
    const what = `bytes ${start}–${start + length - 1}`;
    const xhr = new XMLHttpRequest();
    xhr.open("GET", url, false);
    xhr.responseType = "arraybuffer";
    xhr.timeout = TIMEOUT_MS;
    xhr.setRequestHeader("Range", `bytes=${start}-${start + length - 1}`);
    try {
      xhr.send();
    } catch (error) {
      throw new StoreError(`cannot read ${what} of ${label}: ${(error as Error).message}. ${SERVER_REACH_HINT}`, label);
    }
    const bytes = xhr.response instanceof ArrayBuffer ? new Uint8Array(xhr.response) : new Uint8Array(0);
    if (xhr.status !== 206 || bytes.byteLength !== length) {
      const status = [xhr.status, xhr.statusText].filter(Boolean).join(" ");
      throw new StoreError(
        `cannot read ${what} of ${label}: the server answered HTTP ${status} with ${bytes.byteLength} bytes, so the netCDF file cannot be read reliably. ` +
          "Check that the file on the server did not change, or download it and use Open file.",
        label,
      );
    }
    return bytes;
  }

  const blocks = new Map<number, Uint8Array>();
  function block(index: number): Uint8Array {
    let bytes = blocks.get(index);
    if (bytes) blocks.delete(index);
    else bytes = request(index * BLOCK_BYTES, Math.min(BLOCK_BYTES, size - index * BLOCK_BYTES));
    // Re-inserted last: the Map's order is the order of use.
    blocks.set(index, bytes);
    if (blocks.size > KEPT_BLOCKS) blocks.delete(blocks.keys().next().value!);
    return bytes;
  }

  return {
    size,
    read(position, target) {
      if (target.length >= BLOCK_BYTES) {
        target.set(request(position, target.length));
        return;
      }
      for (let done = 0; done < target.length; ) {
        const at = position + done;
        const index = Math.floor(at / BLOCK_BYTES);
        const bytes = block(index);
        const from = at - index * BLOCK_BYTES;
        const count = Math.min(target.length - done, bytes.byteLength - from);
        target.set(bytes.subarray(from, from + count), done);
        done += count;
      }
    },
  };
}
