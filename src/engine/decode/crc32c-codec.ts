import { registry } from "zarrita";
import { CorruptChunkError } from "./lz4-block.ts";

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), a byte at a time from a table. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Zarr v3's crc32c codec, which checks the checksum it strips (zarrita's only strips it).
 * zarr-python puts one after every shard's index, so an index that lies is told from one that
 * does not before its offsets are followed.
 */
export class Crc32cCodec {
  readonly kind = "bytes_to_bytes";

  static fromConfig(): Crc32cCodec {
    return new Crc32cCodec();
  }

  decode(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 4) throw new CorruptChunkError(`${bytes.length} bytes are too few to hold a CRC-32C checksum: the data is cut short`);
    const data = bytes.subarray(0, bytes.length - 4);
    const stored = new DataView(bytes.buffer, bytes.byteOffset + data.length, 4).getUint32(0, true);
    if (crc32c(data) !== stored) throw new CorruptChunkError("its CRC-32C checksum does not match its bytes: the data is damaged");
    return data;
  }

  encode(): never {
    throw new Error("drawscope does not write crc32c data");
  }

  computeEncodedSize(decodedSize: number): number {
    return decodedSize + 4;
  }
}

/** Make zarrita decode crc32c with Crc32cCodec; run once by every thread that decodes. */
export function registerCrc32cCodec(): void {
  registry.set("crc32c", () => Crc32cCodec as never);
}
