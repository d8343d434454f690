import { describe, expect, it } from "vitest";
import { bodyBytes } from "../src/engine/store/fetch-body.ts";

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);
/** A response whose body arrives in `pieces`, as a byte stream (as fetch bodies are), stating `length`. */
const response = (pieces: Uint8Array[], length?: number) =>
  new Response(new ReadableStream({ type: "bytes", start: (c) => (pieces.forEach((p) => c.enqueue(p.slice())), c.close()) }), {
    headers: length === undefined ? {} : { "content-length": String(length) },
  });

describe("a response body read into a buffer of its stated length", () => {
  it("gives every byte, in order, whatever the pieces it arrives in", async () => {
    expect(await bodyBytes(response([bytes(1000), bytes(500, 1000)], 1500))).toEqual(bytes(1500));
    expect(await bodyBytes(response([bytes(1)], 1))).toEqual(bytes(1));
  });

  it("reads a body longer than its stated length to its end (an encoding the headers hide), and one with no length", async () => {
    expect(await bodyBytes(response([bytes(1000), bytes(700, 1000)], 1000))).toEqual(bytes(1700));
    expect(await bodyBytes(response([bytes(300), bytes(300, 300)]))).toEqual(bytes(600));
  });

  it("fails, saying so, when the body ends before its stated length", async () => {
    await expect(bodyBytes(response([bytes(700)], 1000))).rejects.toThrow("the body ended after 700 of its 1000 bytes");
  });
});
