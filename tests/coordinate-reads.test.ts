import type { AbsolutePath } from "@zarrita/storage";
import { describe, expect, it } from "vitest";
import { openTrace } from "../src/engine/trace.ts";
import { asBytes, dims, memoryStore, zarray } from "./memory-store.ts";

const DIMS = 30;

/** A posterior of 30 variables, each over its own dimension with a coordinate of 3 labels. */
function files() {
  const out: Record<string, Uint8Array | Record<string, unknown>> = { ".zgroup": { zarr_format: 2 }, "posterior/.zgroup": { zarr_format: 2 } };
  for (let k = 0; k < DIMS; k++) {
    out[`posterior/d${k}/.zarray`] = zarray("<i8", [3], [3]);
    out[`posterior/d${k}/.zattrs`] = dims(`d${k}`);
    out[`posterior/d${k}/0`] = asBytes(BigInt64Array.from([10n, 20n, 30n].map((v) => v + BigInt(k))));
    out[`posterior/v${k}/.zarray`] = zarray("<f8", [3], [3]);
    out[`posterior/v${k}/.zattrs`] = dims(`d${k}`);
  }
  return out;
}

describe("opening a trace", () => {
  it("reads coordinate arrays a few at a time, and every label right", async () => {
    const source = memoryStore(files());
    const get = source.store.get.bind(source.store);
    let reading = 0;
    let most = 0;
    const store = {
      ...source,
      store: {
        get: async (key: AbsolutePath) => {
          if (!/\/d\d+\/0$/.test(key)) return get(key);
          most = Math.max(most, ++reading);
          // Answer on a later turn, as a file or a server does, so reads that are let through overlap.
          await new Promise((wake) => setTimeout(wake, 1));
          reading--;
          return get(key);
        },
      },
    };
    const trace = await openTrace(store);
    const dimsOf = trace.tree.groups[0].dims;
    expect(dimsOf).toHaveLength(DIMS);
    expect(dimsOf.find((d) => d.name === "d7")).toEqual({ name: "d7", size: 3, labels: [17, 27, 37], hasCoordinate: true });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });
});
