import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BloscCodec } from "../src/engine/decode/blosc-codec.ts";
import { bloscHeader, decodeBloscFrame, handlesFrame } from "../src/engine/decode/blosc-frame.ts";
import { giveBuffer, takeBytes } from "../src/engine/decode/spare-buffers.ts";

/** Frames Python's numcodecs wrote (scripts/blosc-frames.py), and how each input was made. */
interface FrameCase {
  offset: number;
  length: number;
  kind: "draws" | "runs";
  size: number;
  seed: number;
  typesize: number;
  cname: string;
  clevel: number;
  shuffle: number;
  blocksize: number;
}

const DIR = new URL("./fixtures/blosc/", import.meta.url);
const { frames: cases } = JSON.parse(readFileSync(new URL("frames.json", DIR), "utf8")) as { frames: FrameCase[] };
const blob = new Uint8Array(readFileSync(new URL("frames.bin", DIR)));
const frameOf = (c: FrameCase) => blob.slice(c.offset, c.offset + c.length);

/** The frame's input, as blosc-frames.py made it (the same 32-bit generator). */
function inputOf({ kind, size, seed }: FrameCase): Uint8Array {
  let state = seed;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const noise = state >>> 24;
    if (kind === "draws") out[i] = i % 8 < 6 ? noise : i % 8 === 6 ? noise & 0x0f : 0x40;
    else out[i] = (i >> 6) % 3 === 0 ? noise : i % 7;
  }
  return out;
}

const name = (c: FrameCase) => `${c.kind} ${c.size} B, type size ${c.typesize}, ${c.cname} ${c.clevel}, shuffle ${c.shuffle}, blocks ${c.blocksize}`;
const handled = cases.filter((c) => c.cname === "lz4" || c.cname === "lz4hc").filter((c) => c.shuffle !== 2);

describe("Blosc frames of LZ4 blocks", () => {
  it("decode to their inputs: every type size, byte shuffle or none, compression level, block size and length (leftover blocks included)", () => {
    expect(handled.length).toBe(2 * 4 * 3 * 2 * 3 * 2 + 4 + 1);
    // Among them, compressed frames of several blocks with a shorter last one.
    const multiBlock = handled.filter((c) => {
      const { flags, nbytes, blocksize } = bloscHeader(frameOf(c));
      return (flags & 2) === 0 && nbytes > blocksize && nbytes % blocksize !== 0;
    });
    expect(multiBlock.length).toBeGreaterThanOrEqual(2);
    for (const c of handled) {
      const frame = frameOf(c);
      expect(handlesFrame(bloscHeader(frame)), name(c)).toBe(true);
      // Buffer.equals: toEqual would compare a megabyte byte by byte through its generic deep equality.
      expect(Buffer.from(decodeBloscFrame(frame)).equals(inputOf(c)), name(c)).toBe(true);
    }
  });

  it("decode into a spare buffer of their size when one was given back, writing every byte of it", () => {
    for (const c of handled.filter((h) => h.size >= 1000)) {
      const frame = frameOf(c);
      const spare = new Uint8Array(c.size).fill(0xa5);
      giveBuffer(spare.buffer);
      const out = decodeBloscFrame(frame);
      expect(out.buffer, name(c)).toBe(spare.buffer);
      expect(Buffer.from(out).equals(inputOf(c)), name(c)).toBe(true);
    }
    // A spare of another size is left for a chunk of its size.
    const other = new ArrayBuffer(7);
    giveBuffer(other);
    expect(decodeBloscFrame(frameOf(handled[0])).buffer).not.toBe(other);
    expect(takeBytes(7).buffer).toBe(other);
  });

  it("leave zstd, zlib, BloscLZ and bit-shuffled frames to numcodecs, which the codec decodes them with", async () => {
    const others = cases.filter((c) => !handled.includes(c));
    expect(others.map((c) => `${c.cname}/${c.shuffle}`)).toEqual(["zstd/1", "zlib/1", "blosclz/1", "lz4/2"]);
    for (const c of [...others, handled[handled.length - 1]]) {
      const frame = frameOf(c);
      expect(handlesFrame(bloscHeader(frame)), name(c)).toBe(c.cname.startsWith("lz4") && c.shuffle !== 2);
      const codec = BloscCodec.fromConfig({ cname: c.cname, clevel: c.clevel, shuffle: c.shuffle, blocksize: c.blocksize });
      expect(Buffer.from(await codec.decode(frame)).equals(inputOf(c)), name(c)).toBe(true);
    }
  });

  it("refuse a header that lies about the frame's length, whichever decoder reads it: numcodecs would give whatever its buffer held", async () => {
    for (const c of [...cases.filter((o) => !handled.includes(o)), handled[handled.length - 1]]) {
      const frame = frameOf(c);
      const codec = BloscCodec.fromConfig({ cname: c.cname, clevel: c.clevel, shuffle: c.shuffle, blocksize: c.blocksize });
      const lying = (cbytes: number) => {
        const bytes = frame.slice();
        new DataView(bytes.buffer).setUint32(12, cbytes, true);
        return codec.decode(bytes);
      };
      await expect(lying(frame.length + 1), name(c)).rejects.toThrow(`a Blosc chunk says it holds ${frame.length + 1} bytes but ${frame.length} are stored`);
      await expect(lying(frame.length - 1), name(c)).rejects.toThrow(`of a Blosc chunk runs past its ${frame.length - 1} bytes`);
      await expect(lying(0), name(c)).rejects.toThrow("a Blosc chunk says it holds 0 bytes, less than its 16-byte header");
      await expect(codec.decode(frame.subarray(0, frame.length - 1)), name(c)).rejects.toThrow(`says it holds ${frame.length} bytes but ${frame.length - 1} are stored`);
    }
  });

  it("refuse frames that are cut short or whose blocks lie, naming what is wrong", () => {
    const c = handled.find((h) => h.kind === "runs" && h.size === 100000 && h.typesize === 4 && h.shuffle === 1)!;
    const frame = frameOf(c);
    expect(() => decodeBloscFrame(frame.subarray(0, 10))).toThrow("a Blosc chunk of 10 bytes is shorter than its 16-byte header");
    expect(() => decodeBloscFrame(frame.subarray(0, frame.length - 100))).toThrow(`says it holds ${frame.length} bytes but ${frame.length - 100} are stored`);
    const lyingOffset = frame.slice();
    new DataView(lyingOffset.buffer).setUint32(16, frame.length + 10, true);
    expect(() => decodeBloscFrame(lyingOffset)).toThrow("block 0 of a Blosc chunk runs past");
    const lyingSize = frame.slice();
    // One more element than the blocks hold: the last block's stream decodes short.
    new DataView(lyingSize.buffer).setUint32(4, c.size + 4, true);
    expect(() => decodeBloscFrame(lyingSize)).toThrow(/LZ4|runs past/);
    // The first block's first compressed stream (4 streams; random bytes are stored as they are), zeroed: a match at offset 0.
    const corrupt = frame.slice();
    const view = new DataView(corrupt.buffer);
    const streamSize = view.getUint32(8, true) / 4;
    let at = view.getUint32(16, true);
    while (view.getUint32(at, true) === streamSize) at += 4 + streamSize;
    corrupt.fill(0, at + 4, at + 4 + view.getUint32(at, true));
    expect(() => decodeBloscFrame(corrupt)).toThrow("an LZ4 match points before the start of the block");
  });
});
