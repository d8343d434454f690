import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { inflate, pieceBytes } from "../src/engine/decode/inflate.ts";
import { readAtMost } from "../src/engine/decode/read-at-most.ts";

const Platform = globalThis.DecompressionStream;

/** The platform's inflater, recording the size of each piece of compressed bytes it is given. */
function recordPieces(sizes: number[]) {
  vi.stubGlobal(
    "DecompressionStream",
    class {
      readonly readable: ReadableStream<Uint8Array>;
      readonly writable: WritableStream<BufferSource>;
      constructor(format: CompressionFormat) {
        const inner = new Platform(format);
        const writer = inner.writable.getWriter();
        this.readable = inner.readable;
        this.writable = new WritableStream<BufferSource>({
          write: (chunk) => {
            sizes.push(chunk.byteLength);
            return writer.write(chunk);
          },
          close: () => writer.close(),
          abort: (reason) => writer.abort(reason),
        });
      }
    },
  );
}

afterEach(() => vi.unstubAllGlobals());

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

describe("inflating in pieces", () => {
  it("gives the inflater pieces that each inflate to about the bound at most: 1 KiB for a few bytes, 64 KiB for any size", () => {
    expect([pieceBytes(16), pieceBytes(8 << 20), pieceBytes(1 << 30), pieceBytes(Infinity)]).toEqual([1024, 8129, 65536, 65536]);
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["deflate-raw", deflateRawSync],
  ] as const)("%s: the pieces inflate to the same bytes as the whole", async (format, compress) => {
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => ((i * 7919) % 251) ^ (i >> 9));
    const sizes: number[] = [];
    recordPieces(sizes);
    const out = await readAtMost(inflate(streamOf(compress(data)), format, data.length), data.length, () => new Error("too long"));
    expect(out).toEqual(data);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(pieceBytes(data.length));
  });

  it("stops a bomb after a few pieces: 64 KB of gzip that inflates to 64 MB, meant to give 16 bytes", async () => {
    const bomb = gzipSync(new Uint8Array(64 << 20));
    expect(bomb.length).toBeGreaterThan(60_000);
    const sizes: number[] = [];
    recordPieces(sizes);
    await expect(readAtMost(inflate(streamOf(bomb), "gzip", 16), 16, () => new Error("inflates past 16 bytes"))).rejects.toThrow("inflates past 16 bytes");
    expect(Math.max(...sizes)).toBe(1024);
    // Node's inflater takes 16 KiB of input before it pushes back (Chromium's, one piece): far from the whole bomb.
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(bomb.length / 2);
  });
});
