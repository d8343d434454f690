// The catalogue of malformed stores (hostile-catalogue.ts): each gets its named error, in the
// engine within a second and in the CLI as one line without a stack trace, exit code 2.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DrawscopeError } from "../src/engine/errors.ts";
import { openPath } from "../src/engine/store/node.ts";
import { NodeFolderStore } from "../src/engine/store/node-folder.ts";
import { hexFloat } from "../src/engine/store/hex-fill-value.ts";
import { crc32c } from "../src/engine/decode/crc32c-codec.ts";
import { giveBackLent, ownsBuffer } from "../src/engine/decode/spare-buffers.ts";
import { CATALOGUE, shardedTrace, v2Trace, writeCase } from "./hostile-catalogue.ts";
import { asBytes, dims, writeStoreFolder, zarray } from "./memory-store.ts";
import { startFixtureServer } from "./fixture-server.ts";
import { zipOf } from "./zip-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "drawscope-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DRAWS = join(import.meta.dirname, "..", "src", "cli", "draws.ts");

function cli(store: string, query: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", DRAWS, store, query], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr, stdout }));
  });
}

describe("odd but valid names", () => {
  it("a dimension named with a '/' is written in a spec as it is, and its labels selected", async () => {
    const store = writeStoreFolder(
      "slash-dim.zarr",
      v2Trace({
        "posterior/x/.zarray": zarray("<f8", [1, 2, 3], [1, 2, 3]),
        "posterior/x/.zattrs": dims("chain", "draw", "a/b"),
        "posterior/x/0.0.0": asBytes(Float64Array.of(1, 2, 3, 4, 5, 6)),
      }),
    );
    const trace = await openPath(store);
    const table = await trace.extract("x[a/b=1|2]");
    expect(table.schema.fields.map((f) => f.name)).toEqual(["chain", "draw", "a/b", "x"]);
    expect([...(table.getChild("x")!.toArray() as Float64Array)]).toEqual([2, 3, 5, 6]);
  });
});

describe("the same kinds of store, sound, read as before", () => {
  const values = Float64Array.of(1.5, -2.25, 3, 4.125, 5, 6);
  const column = async (store: string) => [...((await (await openPath(store)).extract("x")).getChild("x")!.toArray() as Float64Array)];
  const compressed = (compressor: Record<string, unknown>, chunk: Uint8Array) =>
    v2Trace({ "posterior/x/.zarray": { ...zarray("<f8", [1, 2, 3], [1, 2, 3]), compressor }, "posterior/x/.zattrs": dims("chain", "draw", "k"), "posterior/x/0.0.0": chunk });

  it("gzip and zlib chunks inflate to their values", async () => {
    expect(await column(writeStoreFolder("gzip.zarr", compressed({ id: "gzip", level: 5 }, gzipSync(asBytes(values)))))).toEqual([...values]);
    expect(await column(writeStoreFolder("zlib.zarr", compressed({ id: "zlib", level: 5 }, deflateSync(asBytes(values)))))).toEqual([...values]);
  });

  it("a zip's deflated and stored entries read as their folder does", async () => {
    const files = Object.fromEntries(
      Object.entries(compressed({ id: "zlib", level: 5 }, deflateSync(asBytes(values)))).map(([k, v]) => [k, v instanceof Uint8Array ? v : new TextEncoder().encode(JSON.stringify(v))]),
    );
    for (const method of ["deflate", "store"] as const) {
      const path = join(dir, `sound-${method}.zarr.zip`);
      writeFileSync(path, zipOf(files, method));
      expect(await column(path), method).toEqual([...values]);
    }
  });

  it("a shard whose index is true reads its inner chunks, its checksum checked", async () => {
    expect(
      await column(
        writeStoreFolder(
          "sharded.zarr",
          shardedTrace([
            [8, 8],
            [0, 8],
          ]),
        ),
      ),
    ).toEqual([2.5, 1.5]);
    expect(
      await column(
        writeStoreFolder(
          "sharded-crc.zarr",
          shardedTrace(
            [
              [8, 8],
              [0, 8],
            ],
            "right",
          ),
        ),
      ),
    ).toEqual([2.5, 1.5]);
  });

  it("CRC-32C is the Castagnoli checksum (RFC 3720's test vectors)", () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
  });
});

describe("the folder store in Node", () => {
  it("reads nothing above its folder, and a range past a file's end as the bytes there are", async () => {
    const root = join(dir, "folder-store");
    mkdirSync(join(root, "inside"), { recursive: true });
    writeFileSync(join(dir, "outside.txt"), "secret");
    writeFileSync(join(root, "inside", "chunk"), new Uint8Array([1, 2, 3, 4]));
    const store = new NodeFolderStore(root);
    expect(await store.get("/../outside.txt")).toBeUndefined();
    expect(await store.get("/inside/../../outside.txt")).toBeUndefined();
    expect(await store.get("/inside/chunk")).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(await store.getRange("/inside/chunk", { offset: 2, length: 10 })).toEqual(new Uint8Array([3, 4]));
    expect(await store.getRange("/inside/chunk", { offset: 10, length: 2 })).toEqual(new Uint8Array(0));
    expect(await store.getRange("/inside/chunk", { suffixLength: 3 })).toEqual(new Uint8Array([2, 3, 4]));
    expect(await store.getRange("/inside/missing", { suffixLength: 3 })).toBeUndefined();
  });

  it("gives each file's bytes in a buffer of their own (readers move it to workers), small files and large alike", async () => {
    const root = join(dir, "own-buffers");
    mkdirSync(root, { recursive: true });
    const large = Uint8Array.from({ length: 3 << 20 }, (_, i) => i % 251);
    writeFileSync(join(root, "small"), new Uint8Array([7, 8, 9]));
    writeFileSync(join(root, "large"), large);
    const store = new NodeFolderStore(root);
    for (const [key, expected] of [
      ["/small", new Uint8Array([7, 8, 9])],
      ["/large", large],
    ] as const) {
      const bytes = (await store.get(key))!;
      expect(bytes).toEqual(expected);
      expect([bytes.byteOffset, bytes.buffer.byteLength, ownsBuffer(bytes)]).toEqual([0, expected.length, true]);
    }
  });

  it("reads a file into the buffer of one given back, after its reader is done with it", async () => {
    const root = join(dir, "lent-buffers");
    mkdirSync(root, { recursive: true });
    const first = Uint8Array.from({ length: 1 << 16 }, (_, i) => i % 7);
    const second = Uint8Array.from({ length: 1 << 16 }, (_, i) => i % 11);
    writeFileSync(join(root, "first"), first);
    writeFileSync(join(root, "second"), second);
    const store = new NodeFolderStore(root);
    const read = (await store.get("/first"))!;
    expect(read).toEqual(first);
    giveBackLent(read.buffer);
    const again = (await store.get("/second"))!;
    expect(again.buffer).toBe(read.buffer);
    expect(again).toEqual(second);
    // Only a buffer of the file's own size: some decoders read a view's whole buffer.
    giveBackLent(again.buffer);
    writeFileSync(join(root, "shorter"), second.subarray(0, 1000));
    const shorter = (await store.get("/shorter"))!;
    expect([shorter.buffer === again.buffer, shorter.buffer.byteLength]).toEqual([false, 1000]);
  });

  it("reads to its end a file whose size the file system does not know ahead (procfs says 0)", async () => {
    const status = await new NodeFolderStore("/proc/self").get("/status");
    expect(new TextDecoder().decode(status).startsWith("Name:")).toBe(true);
  });
});

describe("malformed stores", () => {
  it("the catalogue covers each kind of damage with its own case", () => {
    expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CATALOGUE.map((c) => [c.name, c] as const))("%s: a named error from the engine within a second", async (_, entry) => {
    const store = writeCase(dir, entry);
    const start = performance.now();
    const error = await openPath(store)
      .then((trace) => trace.extract(entry.query))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(performance.now() - start).toBeLessThan(1000);
    expect(error, entry.what).toBeInstanceOf(DrawscopeError);
    expect((error as Error).message).toMatch(entry.error);
  });

  it("each gets its error in the CLI: one line, no stack trace, exit code 2, no rows on stdout", async () => {
    const runs = [];
    // Two at a time: each is a Node process.
    for (let i = 0; i < CATALOGUE.length; i += 2) {
      runs.push(...(await Promise.all(CATALOGUE.slice(i, i + 2).map(async (entry) => ({ entry, run: await cli(writeCase(dir, entry), entry.query) })))));
    }
    for (const { entry, run } of runs) {
      expect(run.code, entry.name).toBe(2);
      // A damaged chunk is met while the table streams out: the header may have gone, no row has.
      expect(run.stdout.split("\n").filter(Boolean).length, entry.name).toBeLessThanOrEqual(1);
      expect(run.stderr, entry.name).toMatch(/^error: /);
      expect(run.stderr.split("\n")[0].slice("error: ".length), entry.name).toMatch(entry.error);
      expect(run.stderr, entry.name).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});

describe("a server whose compressed answer inflates without end", () => {
  it("is cut off at what the chunk can take as stored", async () => {
    const store = writeStoreFolder(
      "served.zarr",
      v2Trace({ "posterior/x/.zarray": zarray("<f8", [1, 2], [1, 2]), "posterior/x/.zattrs": dims("chain", "draw"), "posterior/x/0.0": asBytes(Float64Array.of(1, 2)) }),
      true,
    );
    const server = await startFixtureServer(dirname(store), { ranges: true, cors: false });
    try {
      const trace = await openPath(`http://127.0.0.1:${server.port}/served.zarr`);
      server.faults.set("/served.zarr/posterior/x/0.0", "inflating");
      const error = await trace.extract("x").catch((e: unknown) => e);
      expect((error as Error).message).toBe("cannot read chunk 0.0 of posterior/x: the server's answer is longer than the 65,568 bytes it can take: the server or the store is damaged");
      expect(server.faults.size).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("fill values written as hex (Zarr v3)", () => {
  it("are the floats their bytes encode, big-endian: float64, float32 and float16", () => {
    expect(hexFloat("0x3ff8000000000000", 8)).toBe(1.5);
    expect(hexFloat("0x7ff8000000000000", 8)).toBeNaN();
    expect(hexFloat("0xfff0000000000000", 8)).toBe(-Infinity);
    expect(hexFloat("0xc0490fdb", 4)).toBe(Math.fround(-Math.PI));
    expect(hexFloat("0x7fc00001", 4)).toBeNaN();
    expect(hexFloat("0x3c00", 2)).toBe(1);
    expect(hexFloat("0xc000", 2)).toBe(-2);
    expect(hexFloat("0x0001", 2)).toBe(2 ** -24);
    expect(hexFloat("0x7c00", 2)).toBe(Infinity);
    expect(hexFloat("0x7e00", 2)).toBeNaN();
    // Not one: the wrong length, or not hex.
    expect(hexFloat("0x3ff8", 8)).toBeUndefined();
    expect(hexFloat("0xzz000000", 4)).toBeUndefined();
  });

  it("stand for the chunks a writer left out", async () => {
    const v3 = (fill: string) => ({
      "zarr.json": { zarr_format: 3, node_type: "group", attributes: {} },
      "posterior/zarr.json": { zarr_format: 3, node_type: "group", attributes: {} },
      "posterior/x/zarr.json": {
        zarr_format: 3,
        node_type: "array",
        shape: [1, 2],
        data_type: "float64",
        chunk_grid: { name: "regular", configuration: { chunk_shape: [1, 1] } },
        chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
        fill_value: fill,
        codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        dimension_names: ["chain", "draw"],
      },
      "posterior/x/c/0/1": asBytes(Float64Array.of(7)),
    });
    const read = async (name: string, fill: string) => [...((await (await openPath(writeStoreFolder(name, v3(fill)))).extract("x")).getChild("x")!.toArray() as Float64Array)];
    expect(await read("hex-one-and-a-half.zarr", "0x3ff8000000000000")).toEqual([1.5, 7]);
    const [nan, seven] = await read("hex-nan.zarr", "0x7ff8000000000000");
    expect(nan).toBeNaN();
    expect(seven).toBe(7);
  });
});
