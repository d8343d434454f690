import type { AbsolutePath } from "@zarrita/storage";
import { listKeys } from "../src/engine/store/entries.ts";
import type { TraceStore } from "../src/engine/store/types.ts";

type Content = Uint8Array | Record<string, unknown>;

/** A store held in memory, from keys to bytes or JSON documents; listing included unless `listed` is false. */
export function memoryStore(files: Record<string, Content>, listed = true): TraceStore {
  const bytes = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(files)) {
    bytes.set(key, value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value)));
  }
  return {
    store: { get: async (key: AbsolutePath) => bytes.get(key.slice(1)) },
    list: listed ? listKeys(bytes.keys()) : undefined,
    label: "memory",
  };
}

export const asBytes = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** numpy `<U{n}` bytes: each string as n UTF-32LE code points, zero padded. */
export function utf32(strings: string[], n: number): Uint8Array {
  const out = new Uint32Array(strings.length * n);
  strings.forEach((s, i) => [...s].forEach((c, j) => (out[i * n + j] = c.codePointAt(0)!)));
  return asBytes(out);
}

/** Zarr v2 array metadata without compression, so chunks are the raw little-endian values. */
export function zarray(dtype: string, shape: number[], chunks: number[], fill: unknown = null): Record<string, unknown> {
  return { zarr_format: 2, shape, chunks, dtype, compressor: null, filters: null, fill_value: fill, order: "C" };
}

export const dims = (...names: string[]) => ({ _ARRAY_DIMENSIONS: names });
