import { describe, expect, it } from "vitest";
import { exclusive } from "../src/engine/decode/job.ts";
import { giveBuffer, ownsBuffer } from "../src/engine/decode/spare-buffers.ts";
import { bodyBytes, FolderFetchStore } from "../src/engine/store/fetch-body.ts";

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);
/** A response whose body arrives in `pieces`, as a byte stream (as fetch bodies are), stating `length`. */
const response = (pieces: Uint8Array[], length?: number) =>
  new Response(
    new ReadableStream({
      type: "bytes",
      start: (c) => {
        for (const p of pieces) c.enqueue(p.slice());
        c.close();
      },
    }),
    {
      headers: length === undefined ? {} : { "content-length": String(length) },
    },
  );

describe("a response body read into a buffer of its stated length", () => {
  it("gives every byte, in order, whatever the pieces it arrives in", async () => {
    expect(await bodyBytes(response([bytes(1000), bytes(500, 1000)], 1500))).toEqual(bytes(1500));
    expect(await bodyBytes(response([bytes(1)], 1))).toEqual(bytes(1));
  });

  it("reads a body longer than its stated length to its end (an encoding the headers hide), and one with no length", async () => {
    expect(await bodyBytes(response([bytes(1000), bytes(700, 1000)], 1000))).toEqual(bytes(1700));
    expect(await bodyBytes(response([bytes(300), bytes(300, 300)]))).toEqual(bytes(600));
  });

  it("stops a body that runs on past what its reader can take, with or without a stated length", async () => {
    const tooLong = "the server's answer is longer than the 1,500 bytes it can take: the server or the store is damaged";
    await expect(bodyBytes(response([bytes(1000), bytes(700, 1000)], 1000), undefined, { maxBytes: 1500 })).rejects.toThrow(tooLong);
    await expect(bodyBytes(response([bytes(1000), bytes(700, 1000)]), undefined, { maxBytes: 1500 })).rejects.toThrow(tooLong);
    expect(await bodyBytes(response([bytes(1000), bytes(500, 1000)], 1000), undefined, { maxBytes: 1500 })).toEqual(bytes(1500));
  });

  it("fails, saying so, when the body ends before its stated length", async () => {
    await expect(bodyBytes(response([bytes(700)], 1000))).rejects.toThrow("the body ended after 700 of its 1000 bytes");
  });

  it("is read into a spare buffer a little bigger than the body when one was given back, which the view alone may then move", async () => {
    giveBuffer(new ArrayBuffer(1100));
    const body = await bodyBytes(response([bytes(600), bytes(400, 600)], 1000));
    expect(body).toEqual(bytes(1000));
    expect(body.buffer.byteLength).toBe(1100);
    expect(ownsBuffer(body)).toBe(true);
    expect(exclusive(body)).toBe(body);
    // A view into another buffer is copied before its buffer could move.
    const shared = new Uint8Array(new ArrayBuffer(1100), 0, 1000);
    expect(ownsBuffer(shared)).toBe(false);
    expect(exclusive(shared)).not.toBe(shared);
    // A much bigger spare is not used for a small body.
    giveBuffer(new ArrayBuffer(4000));
    expect((await bodyBytes(response([bytes(100)], 100))).buffer.byteLength).toBe(100);
  });
});

describe("a Zarr folder over HTTP", () => {
  it("fetches chunks past the browser's HTTP cache, and metadata documents through it", async () => {
    const asked: [string, RequestInit | undefined][] = [];
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = (async (url: URL, init?: RequestInit) => {
      asked.push([String(url), init]);
      return new Response(new Uint8Array(3), { headers: { "content-length": "3" } });
    }) as typeof fetch;
    try {
      const store = new FolderFetchStore("http://example.org/trace.zarr?token=1");
      await store.get("/posterior/mu/0.0.0");
      await store.get("/posterior/mu/.zarray");
    } finally {
      globalThis.fetch = fetchBefore;
    }
    expect(asked.map(([url, init]) => [url, init?.cache])).toEqual([
      ["http://example.org/trace.zarr/posterior/mu/0.0.0?token=1", "no-store"],
      ["http://example.org/trace.zarr/posterior/mu/.zarray?token=1", undefined],
    ]);
  });
});
