import type { RangeQuery } from "@zarrita/storage";

/** A Blob's bytes, or the part a range query names (`suffixLength`: the last n bytes). */
export async function blobBytes(blob: Blob, range?: RangeQuery): Promise<Uint8Array> {
  const part = !range ? blob : "suffixLength" in range ? blob.slice(blob.size - range.suffixLength) : blob.slice(range.offset, range.offset + range.length);
  return new Uint8Array(await part.arrayBuffer());
}
