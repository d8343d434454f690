import type { AbsolutePath, AsyncReadable } from "@zarrita/storage";
import { describe, expect, it } from "vitest";
import { CachedStore, isMetadataKey } from "../src/engine/store/cached.ts";

/** A store of `n`-byte chunks filled with their key's length, counting how often each key is asked for. */
function countingStore(sizes: Record<string, number>): AsyncReadable & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async get(key: AbsolutePath) {
      asked.push(key);
      const size = sizes[key];
      return size === undefined ? undefined : new Uint8Array(size).fill(key.length);
    },
  };
}

const key = (k: string) => k as AbsolutePath;

describe("CachedStore", () => {
  it("keeps chunks up to its bound in bytes, evicting the least recently used", async () => {
    // Sixteen 6-byte chunks fit a bound of 100 (each within a sixteenth of it), a seventeenth does not.
    const keys = Array.from({ length: 17 }, (_, i) => `/a/${i}`);
    const inner = countingStore(Object.fromEntries(keys.map((k) => [k, 6])));
    const store = new CachedStore(inner, 100);
    for (const k of keys.slice(0, 16)) await store.get(key(k));
    await store.get(key("/a/0"));
    expect(store.chunkBytes).toBe(96);
    await store.get(key("/a/16"));
    expect(store.chunkBytes).toBe(96);
    await store.get(key("/a/0"));
    await store.get(key("/a/16"));
    expect(inner.asked).toEqual(keys);
    await store.get(key("/a/1"));
    expect(inner.asked).toEqual([...keys, "/a/1"]);
    expect(store.chunkBytes).toBe(96);
  });

  it("does not keep a chunk over a sixteenth of its bound, and keeps absent chunks", async () => {
    const inner = countingStore({ "/big/0": 7 });
    const store = new CachedStore(inner, 100);
    expect((await store.get(key("/big/0")))?.byteLength).toBe(7);
    expect((await store.get(key("/big/0")))?.byteLength).toBe(7);
    expect(await store.get(key("/big/1"))).toBeUndefined();
    expect(await store.get(key("/big/1"))).toBeUndefined();
    expect(inner.asked).toEqual(["/big/0", "/big/0", "/big/1"]);
    expect(store.chunkBytes).toBe(0);
  });

  it("keeps every metadata document, absent ones too, whatever the bound", async () => {
    const inner = countingStore({ "/zarr.json": 10, "/g/.zgroup": 10, "/g/x/.zarray": 10 });
    const store = new CachedStore(inner, 0);
    const keys = ["/zarr.json", "/.zmetadata", "/g/.zgroup", "/g/.zattrs", "/g/x/.zarray", "/g/x/zarr.json"];
    for (let round = 0; round < 3; round++) for (const k of keys) await store.get(key(k));
    expect(inner.asked).toEqual(keys);
    expect(keys.map(isMetadataKey)).toEqual(keys.map(() => true));
    expect(["/g/x/0.0", "/g/x/c/0/0", "/g/zarr.json.bak"].map(isMetadataKey)).toEqual([false, false, false]);
  });

  it("lets concurrent reads of one key share one fetch", async () => {
    const inner = countingStore({ "/a/0": 8, "/.zattrs": 2 });
    const store = new CachedStore(inner, 100);
    const reads = await Promise.all([1, 2, 3].flatMap(() => [store.get(key("/a/0")), store.get(key("/.zattrs"))]));
    expect(reads.map((r) => r?.byteLength)).toEqual([8, 2, 8, 2, 8, 2]);
    expect(inner.asked).toEqual(["/a/0", "/.zattrs"]);
  });

  it("forgets a failed read, so the next one fetches again", async () => {
    let failures = 2;
    const asked: string[] = [];
    const store = new CachedStore(
      {
        async get(k) {
          asked.push(k);
          if (failures-- > 0) throw new Error(`HTTP 500 for ${k}`);
          return new Uint8Array([1, 2, 3]);
        },
      },
      100,
    );
    await expect(store.get(key("/a/0"))).rejects.toThrow("HTTP 500 for /a/0");
    await expect(store.get(key("/.zattrs"))).rejects.toThrow("HTTP 500 for /.zattrs");
    expect(await store.get(key("/a/0"))).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.get(key("/.zattrs"))).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.get(key("/a/0"))).toEqual(new Uint8Array([1, 2, 3]));
    expect(asked).toEqual(["/a/0", "/.zattrs", "/a/0", "/.zattrs"]);
  });

  it("hands every reader bytes of its own, so moving a buffer to a worker leaves the cache whole", async () => {
    const store = new CachedStore(countingStore({ "/a/0": 16, "/.zarray": 4 }), 100);
    for (const k of ["/a/0", "/.zarray"]) {
      const first = (await store.get(key(k)))!;
      structuredClone(first.buffer, { transfer: [first.buffer] });
      expect(first.byteLength).toBe(0);
      const second = (await store.get(key(k)))!;
      expect(second).toEqual(new Uint8Array(k === "/a/0" ? 16 : 4).fill(k.length));
    }
  });

  it("stops waiting for a caller whose signal aborts, while another caller still gets the bytes", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    const store = new CachedStore(
      {
        async get(k) {
          asked.push(k);
          await gate;
          return new Uint8Array([7]);
        },
      },
      100,
    );
    const cancel = new AbortController();
    const cancelled = store.get(key("/a/0"), { signal: cancel.signal });
    const kept = store.get(key("/a/0"));
    cancel.abort();
    await expect(cancelled).rejects.toThrow("This operation was aborted");
    release();
    expect(await kept).toEqual(new Uint8Array([7]));
    expect(await store.get(key("/a/0"))).toEqual(new Uint8Array([7]));
    expect(asked).toEqual(["/a/0"]);
  });

  it("keeps ranges apart by key and range", async () => {
    const asked: string[] = [];
    const store = new CachedStore(
      {
        get: async () => undefined,
        async getRange(k, range) {
          asked.push(`${k} ${JSON.stringify(range)}`);
          return new Uint8Array("suffixLength" in range ? range.suffixLength : range.length);
        },
      },
      100,
    );
    const ranges = [{ offset: 0, length: 4 }, { offset: 4, length: 4 }, { suffixLength: 4 }, { offset: 0, length: 4 }];
    const sizes = [];
    for (const range of ranges) sizes.push((await store.getRange!(key("/s/c/0"), range))?.byteLength);
    expect(sizes).toEqual([4, 4, 4, 4]);
    expect(asked).toEqual(['/s/c/0 {"offset":0,"length":4}', '/s/c/0 {"offset":4,"length":4}', '/s/c/0 {"suffixLength":4}']);
  });
});
