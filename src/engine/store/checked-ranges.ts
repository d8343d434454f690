import type { AbsolutePath, GetOptions, RangeQuery } from "@zarrita/storage";
import { defineStoreExtension } from "zarrita";
import { StoreError } from "../errors.ts";
import { MAX_PIECE_BYTES } from "./types.ts";

const count = (n: number) => n.toLocaleString("en-US");

/**
 * zarrita reads a sharded array's inner chunks by the byte ranges its shard's index gives. An index
 * that lies would have an offset past the shard's end read as a missing chunk (the fill value:
 * silently wrong numbers), a short range decoded as whatever bytes came, and a length of terabytes
 * asked of the platform as one buffer. So each range is checked before it is read, and all of it
 * must come.
 */
export const withCheckedRanges = defineStoreExtension((store) => ({
  async getRange(key: AbsolutePath, range: RangeQuery, options?: GetOptions): Promise<Uint8Array | undefined> {
    if (!store.getRange) throw new StoreError(`cannot read ${key.slice(1)}: this store cannot read parts of a file, which a sharded array needs`);
    const shard = key.slice(1);
    if ("suffixLength" in range) {
      const bytes = await store.getRange(key, range, options);
      if (bytes && bytes.length < range.suffixLength)
        throw new StoreError(`shard ${shard} is ${count(bytes.length)} bytes, shorter than its ${count(range.suffixLength)}-byte index: the shard is damaged`, shard);
      return bytes;
    }
    const { offset, length } = range;
    const plausible = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && length <= MAX_PIECE_BYTES;
    if (!plausible) throw new StoreError(`the index of shard ${shard} places an inner chunk of ${count(length)} bytes at byte ${count(offset)}: the shard is damaged`, shard);
    const bytes = await store.getRange(key, range, options);
    if (bytes?.length !== length) {
      throw new StoreError(`the index of shard ${shard} places an inner chunk at bytes ${count(offset)}–${count(offset + length)}, past the shard's end: the shard is damaged`, shard);
    }
    return bytes;
  },
}));
