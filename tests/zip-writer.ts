import { constants, crc32, deflateRawSync } from "node:zlib";

/** An entry given as deflated bytes, and the size the zip's directory says they inflate to (true or not). */
export interface DeflatedEntry {
  deflated: Uint8Array;
  size: number;
}

/**
 * Raw deflate data that inflates to `bytes` zeros (a multiple of 16 MiB) without ever holding
 * them: one block of 16 MiB of zeros, flushed so that it stands alone, repeated, then an empty
 * final block. About a thousandth of the bytes it inflates to.
 */
export function deflatedZeros(bytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(16 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  return new Uint8Array(Buffer.concat([...Array.from({ length: bytes / (16 << 20) }, () => block), deflateRawSync(Buffer.alloc(0))]));
}

/**
 * A zip of `files` (path → bytes), each deflated or stored, as zip tools write one: local headers
 * with the data, then the central directory. Enough for the tests' zips of CSV files, and for
 * damaged zips: a DeflatedEntry is written as given, with the size it claims.
 */
export function zipOf(files: Record<string, Uint8Array | DeflatedEntry>, method: "deflate" | "store" = "deflate"): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const name = Buffer.from(path);
    const given = !(content instanceof Uint8Array);
    const bytes = given ? new Uint8Array(0) : content;
    const data = given ? Buffer.from(content.deflated) : method === "deflate" ? deflateRawSync(bytes) : Buffer.from(bytes);
    const size = given ? content.size : bytes.length;
    const deflated = given || method === "deflate";
    const sum = given ? 0 : crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(deflated ? 8 : 0, 8);
    local.writeUInt32LE(sum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(deflated ? 8 : 0, 10);
    central.writeUInt32LE(sum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
