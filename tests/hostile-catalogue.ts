// A catalogue of malformed stores, each a few small files, with the error a user must get for it:
// its metadata refused when the trace is opened, its damaged chunks when they are read. The tests
// (hostile.test.ts) write each into a temporary folder and run it through the engine and the CLI;
// `npx tsx tests/hostile-catalogue.ts DIR` writes them all into DIR, to try by hand or in the app.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { crc32c } from "../src/engine/decode/crc32c-codec.ts";
import { asBytes, dims, sampleCoordinates, zarray } from "./memory-store.ts";
import { deflatedZeros, zipOf, type DeflatedEntry } from "./zip-writer.ts";

type Files = Record<string, Uint8Array | Record<string, unknown>>;

export interface HostileCase {
  name: string;
  /** What is wrong, in a few words. */
  what: string;
  files: Files;
  /** The query the case is read with. */
  query: string;
  /** The error the user gets (the CLI's message after `error: `). */
  error: RegExp;
  /** Entries that make the case a zip (`NAME.zarr.zip`) of its files and these, deflated as given. */
  zipped?: Record<string, DeflatedEntry>;
}

export const v2Trace = (extra: Files): Files => ({ ".zgroup": { zarr_format: 2 }, "posterior/.zgroup": { zarr_format: 2 }, ...sampleCoordinates("posterior", 1, 2), ...extra });

/** posterior/x as a v2 array of `shape` and `chunks` with dimension names, and its chunks' raw float64 bytes. */
const v2Array = (shape: unknown[], chunks: unknown[], names: unknown = ["chain", "draw"], chunkFiles: Files = {}): Files => ({
  "posterior/x/.zarray": zarray("<f8", shape as number[], chunks as number[]),
  "posterior/x/.zattrs": { _ARRAY_DIMENSIONS: names },
  ...chunkFiles,
});

const good = { "posterior/x/0.0": asBytes(Float64Array.of(1, 2)) };

const v3Group = { zarr_format: 3, node_type: "group", attributes: {} };
/** A v3 trace whose posterior holds x (metadata `x`); no consolidated metadata, so nodes are found by listing. */
const v3Trace = (x: Record<string, unknown>, chunk?: Uint8Array): Files => ({
  "zarr.json": v3Group,
  "posterior/zarr.json": v3Group,
  "posterior/x/zarr.json": {
    zarr_format: 3,
    node_type: "array",
    data_type: "float64",
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    dimension_names: ["chain", "draw"],
    ...x,
  },
  ...(chunk ? { "posterior/x/c/0/0": chunk } : {}),
});
const grid = (chunkShape: unknown[]) => ({ chunk_grid: { name: "regular", configuration: { chunk_shape: chunkShape } } });

/** A Blosc frame header (LZ4, byte shuffle, 8-byte items) that says it holds `nbytes`, with a few bytes after. */
function bloscClaiming(nbytes: number): Uint8Array {
  const frame = new Uint8Array(32);
  const view = new DataView(frame.buffer);
  frame.set([2, 1, 0x01 | (1 << 5), 8]);
  view.setUint32(4, nbytes, true);
  view.setUint32(8, 1 << 16, true);
  view.setUint32(12, 32, true);
  return frame;
}

/** A zstd frame header (single segment, 8-byte content size) that says it holds `size` bytes, with a few bytes after. */
function zstdClaiming(size: number): Uint8Array {
  const frame = new Uint8Array(24);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 0xfd2fb528, true);
  frame[4] = 0xe0;
  view.setUint32(5, size % 2 ** 32, true);
  view.setUint32(9, Math.floor(size / 2 ** 32), true);
  return frame;
}

const bloscArray = { ...zarray("<f8", [1, 2], [1, 2]), compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } };

/**
 * A Blosc frame of float64 `values` in one block stored as it is, marked as zstd-compressed (so
 * numcodecs decodes it), whose header says it is `cbytes` long.
 */
function bloscZstdFrame(values: Float64Array, cbytes: number): Uint8Array {
  const data = asBytes(values);
  const frame = new Uint8Array(24 + data.length);
  const view = new DataView(frame.buffer);
  frame.set([2, 1, 4 << 5, 8]);
  view.setUint32(4, data.length, true);
  view.setUint32(8, data.length, true);
  view.setUint32(12, cbytes, true);
  view.setUint32(16, 20, true);
  view.setUint32(20, data.length, true);
  frame.set(data, 24);
  return frame;
}

/**
 * A v3 trace whose posterior/x [1, 2] is one shard of two inner chunks [1, 1], whose index (at its
 * end) gives `entries` as (offset, length), followed by its CRC-32C as zarr-python writes it, a
 * wrong one, or none.
 */
export function shardedTrace(entries: [number, number][], checksum: "right" | "wrong" | "none" = "none"): Files {
  const data = asBytes(Float64Array.of(1.5, 2.5));
  const index = new Uint8Array(16 * entries.length);
  const view = new DataView(index.buffer);
  entries.forEach(([offset, length], i) => {
    view.setBigUint64(16 * i, BigInt(offset), true);
    view.setBigUint64(16 * i + 8, BigInt(length), true);
  });
  const sum = new Uint8Array(checksum === "none" ? 0 : 4);
  if (checksum !== "none") new DataView(sum.buffer).setUint32(0, crc32c(index) ^ (checksum === "wrong" ? 1 : 0), true);
  const bytes = { name: "bytes", configuration: { endian: "little" } };
  const indexCodecs = checksum === "none" ? [bytes] : [bytes, { name: "crc32c" }];
  const sharding = { name: "sharding_indexed", configuration: { chunk_shape: [1, 1], codecs: [bytes], index_codecs: indexCodecs, index_location: "end" } };
  return v3Trace({ shape: [1, 2], ...grid([1, 2]), codecs: [sharding] }, new Uint8Array([...data, ...index, ...sum]));
}

const MiB = 2 ** 20;
/** posterior/x as v2 float64 [1, 2] in one chunk, compressed with the numcodecs compressor given; its chunk `chunk`. */
const compressedArray = (compressor: Record<string, unknown>, chunk: Uint8Array): Files =>
  v2Trace({ "posterior/x/.zarray": { ...zarray("<f8", [1, 2], [1, 2]), compressor }, "posterior/x/.zattrs": dims("chain", "draw"), "posterior/x/0.0": chunk });
const zeros = (bytes: number) => new Uint8Array(bytes);
/** A good one-chunk trace to zip, without its chunk (given as a zipped entry instead). */
const zippedTrace = v2Trace(v2Array([1, 2], [1, 2]));

export const CATALOGUE: HostileCase[] = [
  // Memory bombs: shapes and dimensions nothing could hold, refused before anything is allocated.
  {
    name: "dim-of-1e12",
    what: "a dimension of 10^12 positions in chunks of 10^8",
    files: v2Trace(v2Array([1, 2, 1e12], [1, 2, 1e8], ["chain", "draw", "big"])),
    query: "x",
    error: /^dimension big of posterior has 1,000,000,000,000 positions, more than drawscope labels \(10,000,000\)\.$/,
  },
  {
    name: "grid-of-1e9",
    what: "10^12 values in 10^9 chunks",
    files: v2Trace(v2Array([1, 2, 1e12], [1, 2, 1000], ["chain", "draw", "big"])),
    query: "x",
    error: /^posterior\/x is stored in 1,000,000,000 chunks of \[1, 2, 1000\], more than drawscope reads \(100,000\): store it in larger chunks/,
  },
  {
    name: "grid-of-1e6",
    what: "a million chunks of one value each",
    files: v2Trace(v2Array([1, 2, 500_000], [1, 1, 1], ["chain", "draw", "obs"])),
    query: "x",
    error: /^posterior\/x is stored in 1,000,000 chunks of \[1, 1, 1\]/,
  },
  {
    name: "chunk-zero",
    what: "a chunk length of 0",
    files: v2Trace(v2Array([1, 2], [1, 0])),
    query: "x",
    error: /^posterior\/x has the chunk shape \[1, 0\] for its shape \[1, 2\]: it needs one whole number, 1 or more, per axis/,
  },
  { name: "chunk-negative", what: "a negative chunk length", files: v2Trace(v2Array([1, 2], [1, -2])), query: "x", error: /^posterior\/x has the chunk shape \[1, -2\]/ },
  { name: "chunk-fractional", what: "a chunk length of 1.5", files: v2Trace(v2Array([1, 2], [1, 1.5])), query: "x", error: /^posterior\/x has the chunk shape \[1, 1\.5\]/ },
  { name: "chunk-rank", what: "fewer chunk lengths than axes", files: v2Trace(v2Array([1, 2], [1])), query: "x", error: /^posterior\/x has the chunk shape \[1\] for its shape \[1, 2\]/ },
  // Shapes that are not shapes: refused, not read as something else.
  {
    name: "shape-negative",
    what: "a negative length",
    files: v2Trace(v2Array([1, -2], [1, 2])),
    query: "x",
    error: /^posterior\/x has the shape \[1, -2\]: each length must be a whole number, 0 or more/,
  },
  { name: "shape-string", what: "a length written as text", files: v2Trace(v2Array([1, "2"], [1, 2])), query: "x", error: /^posterior\/x has the shape \[1, "2"\]/ },
  { name: "shape-fractional", what: "a length of 2.5", files: v2Trace(v2Array([1, 2.5], [1, 2])), query: "x", error: /^posterior\/x has the shape \[1, 2\.5\]/ },
  { name: "shape-null", what: "a length of null", files: v2Trace(v2Array([1, null], [1, 2])), query: "x", error: /^posterior\/x has the shape \[1, null\]/ },
  {
    name: "v3-shape-negative",
    what: "a Zarr v3 array of negative length",
    files: v3Trace({ shape: [1, -2], ...grid([1, 2]) }),
    query: "x",
    error: /^posterior\/x has the shape \[1, -2\]: each length must be a whole number/,
  },
  { name: "v3-chunk-zero", what: "a Zarr v3 chunk length of 0", files: v3Trace({ shape: [1, 2], ...grid([1, 0]) }), query: "x", error: /^posterior\/x has the chunk shape \[1, 0\]/ },
  // Dimension names that do not fit the array.
  {
    name: "names-too-many",
    what: "three dimension names for two axes",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain", "draw", "extra"], good)),
    query: "x",
    error: /^posterior\/x names 3 dimensions \(chain, draw, extra\) in _ARRAY_DIMENSIONS, but it has 2 axes/,
  },
  {
    name: "names-too-few",
    what: "one dimension name for two axes",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain"], good)),
    query: "x",
    error: /^posterior\/x names 1 dimension \(chain\) in _ARRAY_DIMENSIONS, but it has 2 axes/,
  },
  {
    name: "names-empty",
    what: "an empty dimension name",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain", ""], good)),
    query: "x",
    error: /^posterior\/x has _ARRAY_DIMENSIONS \["chain",""\]: it must list one dimension name/,
  },
  { name: "names-numbers", what: "dimension names that are numbers", files: v2Trace(v2Array([1, 2], [1, 2], [0, 1], good)), query: "x", error: /^posterior\/x has _ARRAY_DIMENSIONS \[0,1\]/ },
  { name: "names-not-a-list", what: "dimension names as one text", files: v2Trace(v2Array([1, 2], [1, 2], "chain,draw", good)), query: "x", error: /^posterior\/x has _ARRAY_DIMENSIONS "chain,draw"/ },
  // Coordinates and variables that disagree on a dimension's length.
  {
    name: "coordinate-longer",
    what: "a coordinate longer than its dimension",
    files: v2Trace({ ...v2Array([1, 2], [1, 2], ["chain", "draw"], good), "posterior/draw/.zarray": zarray("<i8", [3], [3]), "posterior/draw/0": asBytes(BigInt64Array.of(0n, 1n, 2n)) }),
    query: "x",
    error: /^dimension draw of posterior has 2 positions in posterior\/x but 3 in posterior\/draw: the arrays of a group must agree/,
  },
  {
    name: "coordinate-shorter",
    what: "a coordinate shorter than its dimension",
    files: v2Trace({ ...v2Array([1, 2], [1, 2], ["chain", "draw"], good), "posterior/draw/.zarray": zarray("<i8", [1], [1]), "posterior/draw/0": asBytes(BigInt64Array.of(0n)) }),
    query: "x",
    error: /^dimension draw of posterior has 2 positions in posterior\/x but 1 in posterior\/draw/,
  },
  {
    name: "variables-disagree",
    what: "two variables giving one dimension different lengths",
    files: v2Trace({
      ...v2Array([1, 2, 3], [1, 2, 3], ["chain", "draw", "obs"], { "posterior/x/0.0.0": asBytes(new Float64Array(6)) }),
      "posterior/y/.zarray": zarray("<f8", [1, 2, 4], [1, 2, 4]),
      "posterior/y/.zattrs": dims("chain", "draw", "obs"),
    }),
    query: "x",
    error: /^dimension obs of posterior has 3 positions in posterior\/x but 4 in posterior\/y/,
  },
  // Nodes that are not what a trace is made of.
  {
    name: "root-is-array",
    what: "a root zarr.json that describes an array",
    files: { "zarr.json": { zarr_format: 3, node_type: "array", shape: [2], data_type: "float64" } },
    query: "x",
    error: /has a zarr\.json at its top that describes an array, not a group: an ArviZ trace is a group of groups/,
  },
  {
    name: "root-unknown-node",
    what: "a root zarr.json of an unknown node type",
    files: { "zarr.json": { zarr_format: 3, node_type: "table" } },
    query: "x",
    error: /has a zarr\.json at its top that describes a node of type "table", not a group/,
  },
  {
    name: "root-not-json",
    what: "a root .zgroup that is not JSON",
    files: { ".zgroup": new TextEncoder().encode("<html>not found</html>") },
    query: "x",
    error: /has a \.zgroup that is not JSON, so it is not Zarr metadata/,
  },
  {
    name: "no-metadata",
    what: "a folder with no Zarr metadata",
    files: { "posterior/x/0.0": asBytes(Float64Array.of(1, 2)) },
    query: "x",
    error: /is not a Zarr store: no zarr\.json \(format 3\) or \.zgroup\/\.zmetadata \(format 2\) at its top/,
  },
  {
    name: "dtype-complex",
    what: "a complex data type",
    files: v2Trace({ "posterior/x/.zarray": zarray("<c16", [1, 2], [1, 2]), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^cannot open array posterior\/x in the store: Unsupported or unknown dtype: <c16/,
  },
  // Data types that cannot be read.
  {
    name: "utf32-length-odd",
    what: "a fixed_length_utf32 type of 3 bytes",
    files: v3Trace({ shape: [1, 2], ...grid([1, 2]), data_type: { name: "fixed_length_utf32", configuration: { length_bytes: 3 } }, fill_value: "" }),
    query: "x",
    error: /^posterior\/x has the data type fixed_length_utf32 with length_bytes 3: it must be a whole number of bytes, a positive multiple of 4/,
  },
  {
    name: "utf32-length-text",
    what: "a fixed_length_utf32 type whose length is text",
    files: v3Trace({ shape: [1, 2], ...grid([1, 2]), data_type: { name: "fixed_length_utf32", configuration: { length_bytes: "8" } }, fill_value: "" }),
    query: "x",
    error: /^posterior\/x has the data type fixed_length_utf32 with length_bytes "8"/,
  },
  {
    name: "dtype-unknown",
    what: "a data type no one writes",
    files: v2Trace({ "posterior/x/.zarray": zarray("<q9", [1, 2], [1, 2]), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^cannot open array posterior\/x in the store: Unsupported or unknown dtype: <q9/,
  },
  {
    name: "v3-names-too-few",
    what: "a Zarr v3 array naming one dimension of two",
    files: v3Trace({ shape: [1, 2], ...grid([1, 2]), dimension_names: ["chain"] }),
    query: "x",
    error: /^posterior\/x names 1 dimension \(chain\) in dimension_names, but it has 2 axes/,
  },
  {
    name: "v3-grid-of-1e6",
    what: "a Zarr v3 array of a million one-value chunks",
    files: v3Trace({ shape: [1, 1_000_000], ...grid([1, 1]), dimension_names: ["chain", "draw"] }),
    query: "x",
    error: /^posterior\/x is stored in 1,000,000 chunks of \[1, 1\]/,
  },
  {
    name: "coordinate-of-1e12",
    what: "a coordinate of 10^12 labels",
    files: v2Trace({ ...v2Array([1, 2], [1, 2], ["chain", "draw"], good), "posterior/obs/.zarray": zarray("<i8", [1e12], [1e8]), "posterior/obs/.zattrs": dims("obs") }),
    query: "x",
    error: /^dimension obs of posterior has 1,000,000,000,000 positions, more than drawscope labels/,
  },
  {
    name: "shape-huge-product",
    what: "a shape whose element count is beyond 2^53",
    files: v2Trace(v2Array([1, 2, 2 ** 40, 2 ** 40], [1, 2, 2 ** 10, 2 ** 10], ["chain", "draw", "a", "b"])),
    query: "x",
    error: /^posterior\/x is stored in 1,152,921,504,606,847,000 chunks/,
  },
  {
    name: "chunk-of-1e12",
    what: "a chunk of 10^12 values over a shape of two",
    files: v2Trace(v2Array([1, 2], [1, 1e12], ["chain", "draw"], good)),
    query: "x",
    error: /^posterior\/x has chunks of \[1, 1000000000000\], 1,000,000,000,000 values each, more than drawscope decodes in one piece \(268,435,456\)/,
  },
  // Damaged chunks: refused when read, never read as other numbers.
  {
    name: "chunk-truncated",
    what: "an uncompressed chunk with half its bytes",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain", "draw"], { "posterior/x/0.0": asBytes(Float64Array.of(1)) })),
    query: "x",
    error: /^chunk 0\.0 of posterior\/x decodes to 1 value where its shape \[1, 2\] holds 2: the chunk is truncated or its header is wrong/,
  },
  {
    name: "chunk-too-long",
    what: "an uncompressed chunk with bytes to spare",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain", "draw"], { "posterior/x/0.0": asBytes(Float64Array.of(1, 2, 3)) })),
    query: "x",
    error: /^chunk 0\.0 of posterior\/x decodes to 3 values where its shape \[1, 2\] holds 2/,
  },
  {
    name: "chunk-empty",
    what: "an empty chunk file",
    files: v2Trace(v2Array([1, 2], [1, 2], ["chain", "draw"], { "posterior/x/0.0": new Uint8Array(0) })),
    query: "x",
    error: /^chunk 0\.0 of posterior\/x decodes to 0 values where its shape \[1, 2\] holds 2/,
  },
  // Decompression bombs: a few bytes that say they inflate to gigabytes, refused before inflating.
  {
    name: "blosc-bomb",
    what: "a Blosc chunk of 32 bytes that says it holds 2 GB",
    files: v2Trace({ "posterior/x/.zarray": bloscArray, "posterior/x/.zattrs": dims("chain", "draw"), "posterior/x/0.0": bloscClaiming(2 ** 31) }),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a Blosc chunk says it inflates to 2,147,483,648 bytes, more than the 16 its shape and type take: the chunk is damaged/,
  },
  {
    name: "zstd-bomb",
    what: "a zstd chunk of 24 bytes that says it holds 1 GB",
    files: v3Trace(
      {
        shape: [1, 2],
        ...grid([1, 2]),
        codecs: [
          { name: "bytes", configuration: { endian: "little" } },
          { name: "zstd", configuration: { level: 0, checksum: false } },
        ],
      },
      zstdClaiming(2 ** 30),
    ),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a zstd chunk says it inflates to 1,073,741,824 bytes, more than the 16 its shape and type take: the chunk is damaged/,
  },
  {
    name: "gzip-bomb",
    what: "a gzip chunk of 64 KB that inflates to 64 MB",
    files: compressedArray({ id: "gzip", level: 1 }, gzipSync(zeros(64 * MiB))),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a gzip chunk inflates past the 16 bytes its shape and type take: the chunk is damaged/,
  },
  {
    name: "zlib-bomb",
    what: "a zlib chunk of 64 KB that inflates to 64 MB",
    files: compressedArray({ id: "zlib", level: 1 }, deflateSync(zeros(64 * MiB))),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a zlib chunk inflates past the 16 bytes its shape and type take: the chunk is damaged/,
  },
  {
    name: "v3-gzip-bomb",
    what: "a Zarr v3 gzip chunk that inflates to 64 MB",
    files: v3Trace(
      {
        shape: [1, 2],
        ...grid([1, 2]),
        codecs: [
          { name: "bytes", configuration: { endian: "little" } },
          { name: "gzip", configuration: { level: 1 } },
        ],
      },
      gzipSync(zeros(64 * MiB)),
    ),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a gzip chunk inflates past the 16 bytes/,
  },
  {
    name: "lz4-garbage",
    what: "an LZ4 chunk of bytes that are not LZ4",
    files: compressedArray({ id: "lz4", acceleration: 1 }, Uint8Array.of(16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8)),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: numcodecs\.lz4 cannot decode it \(.+\)\. The chunk is damaged, or written with settings drawscope does not read\.$/,
  },
  // A header that lies about the frame's length: numcodecs would give whatever its buffer held.
  {
    name: "blosc-lying-length",
    what: "a Blosc chunk whose header says it is 4 bytes shorter than it is",
    files: compressedArray({ id: "blosc", cname: "zstd", clevel: 5, shuffle: 0 }, bloscZstdFrame(Float64Array.of(1, 2), 36)),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: block 0 of a Blosc chunk runs past its 36 bytes/,
  },
  {
    name: "blosc-past-end",
    what: "a Blosc chunk whose header says it is longer than it is",
    files: compressedArray({ id: "blosc", cname: "zstd", clevel: 5, shuffle: 0 }, bloscZstdFrame(Float64Array.of(1, 2), 41)),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: a Blosc chunk says it holds 41 bytes but 40 are stored/,
  },
  // Zip entries: a size over what the chunk can take is refused before inflating; an entry is never inflated past its stated size.
  {
    name: "zip-chunk-bomb",
    what: "a zipped chunk of 256 KB that inflates to 256 MB, as the zip says",
    files: zippedTrace,
    zipped: { "posterior/x/0.0": { deflated: deflatedZeros(256 * MiB), size: 256 * MiB } },
    query: "x",
    error: /^zip entry posterior\/x\/0\.0 says it holds 268,435,456 bytes, more than the 65,568 its chunk can take: the zip is damaged$/,
  },
  {
    name: "zip-chunk-lies",
    what: "a zipped chunk that says it holds 16 bytes and inflates to 256 MB",
    files: zippedTrace,
    zipped: { "posterior/x/0.0": { deflated: deflatedZeros(256 * MiB), size: 16 } },
    query: "x",
    error: /^zip entry posterior\/x\/0\.0 inflates past the 16 bytes the zip's directory gives it: the zip is damaged$/,
  },
  {
    name: "zip-chunk-short",
    what: "a zipped chunk that inflates to fewer bytes than the zip says",
    files: zippedTrace,
    zipped: { "posterior/x/0.0": { deflated: deflateRawSync(asBytes(Float64Array.of(1))), size: 16 } },
    query: "x",
    error: /^zip entry posterior\/x\/0\.0 inflates to 8 bytes where the zip's directory gives it 16: the zip is damaged$/,
  },
  {
    name: "zip-metadata-lies",
    what: "a zipped .zgroup that says it holds 20 bytes and inflates to 256 MB",
    files: zippedTrace,
    zipped: { ".zgroup": { deflated: deflatedZeros(256 * MiB), size: 20 } },
    query: "x",
    error: /zip entry \.zgroup inflates past the 20 bytes the zip's directory gives it: the zip is damaged/,
  },
  {
    name: "zip-metadata-huge",
    what: "a zipped .zgroup of 1.25 GB, as the zip says",
    files: zippedTrace,
    zipped: { ".zgroup": { deflated: deflatedZeros(1280 * MiB), size: 1280 * MiB } },
    query: "x",
    error: /zip entry \.zgroup holds 1,342,177,280 bytes, more than drawscope inflates from one entry \(1,073,741,824\): unzip it and open the folder/,
  },
  {
    name: "zip-csv-lies",
    what: "a zipped CmdStan CSV file that inflates past the size the zip says",
    files: {},
    zipped: { "run/output_1.csv": { deflated: deflateRawSync(new TextEncoder().encode(`lp__,x\n${"1,2\n".repeat(1000)}`)), size: 100 } },
    query: "x",
    error: /^zip entry output_1\.csv inflates past the 100 bytes the zip's directory gives it: the zip is damaged/,
  },
  // Fill values stand for the chunks a writer left out: one the data type cannot hold is refused, and a missing chunk without one.
  {
    name: "fill-text",
    what: "a float array whose fill value is a word",
    files: v2Trace({ "posterior/x/.zarray": zarray("<f8", [1, 2], [1, 2], "hello"), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^posterior\/x has the fill value "hello", but its data type float64 needs a number \(or "NaN", "Infinity", "-Infinity"\)/,
  },
  {
    name: "fill-int-fraction",
    what: "an int32 array whose fill value is 1.5",
    files: v2Trace({ "posterior/x/.zarray": zarray("<i4", [1, 2], [1, 2], 1.5), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^posterior\/x has the fill value 1\.5, but its data type int32 needs a whole number that int32 holds/,
  },
  {
    name: "fill-int-overflow",
    what: "a uint8 array whose fill value is 300",
    files: v2Trace({ "posterior/x/.zarray": zarray("|u1", [1, 2], [1, 2], 300), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^posterior\/x has the fill value 300, but its data type uint8 needs a whole number that uint8 holds/,
  },
  {
    name: "fill-none-chunk-missing",
    what: "a chunk missing from an array with no fill value",
    files: v2Trace({ "posterior/x/.zarray": zarray("<f8", [1, 2], [1, 2], null), "posterior/x/.zattrs": dims("chain", "draw") }),
    query: "x",
    error: /^chunk 0\.0 of posterior\/x is missing, and the array has no fill value to stand for it: the store is incomplete; copy it again\.$/,
  },
  // A shard index that lies: read past the shard's end as the fill value, or a terabyte asked for at once.
  {
    name: "shard-index-past-end",
    what: "a shard index placing a chunk a terabyte past the shard's end",
    files: shardedTrace([
      [2 ** 40, 8],
      [8, 8],
    ]),
    query: "x",
    error: /^the index of shard posterior\/x\/c\/0\/0 places an inner chunk at bytes 1,099,511,627,776–1,099,511,627,784, past the shard's end: the shard is damaged$/,
  },
  {
    name: "shard-index-huge-length",
    what: "a shard index giving a chunk a terabyte long",
    files: shardedTrace([
      [0, 2 ** 40],
      [8, 8],
    ]),
    query: "x",
    error: /^the index of shard posterior\/x\/c\/0\/0 places an inner chunk of 1,099,511,627,776 bytes at byte 0: the shard is damaged$/,
  },
  {
    name: "shard-index-beyond-2^53",
    what: "a shard index offset past 2^53, which a double cannot hold",
    files: shardedTrace([
      [2 ** 60, 8],
      [8, 8],
    ]),
    query: "x",
    error: /^the index of shard posterior\/x\/c\/0\/0 places an inner chunk of 8 bytes at byte 1,152,921,504,606,847,000: the shard is damaged$/,
  },
  {
    name: "shard-index-checksum",
    what: "a shard index whose CRC-32C does not match it",
    files: shardedTrace(
      [
        [0, 8],
        [8, 8],
      ],
      "wrong",
    ),
    query: "x",
    error: /^cannot read chunk 0\.0 of posterior\/x: its CRC-32C checksum does not match its bytes: the data is damaged$/,
  },
  {
    name: "v3-chunk-truncated",
    what: "a Zarr v3 chunk with half its bytes",
    files: v3Trace({ shape: [1, 2], ...grid([1, 2]) }, asBytes(Float64Array.of(1))),
    query: "x",
    error: /chunk 0\.0 of posterior\/x decodes to 1 value where its shape \[1, 2\] holds 2/,
  },
];

const fileBytes = (content: Uint8Array | Record<string, unknown>) => (content instanceof Uint8Array ? content : new TextEncoder().encode(JSON.stringify(content)));

/** Write one case's files under `dir` (as a folder, or a zip); returns the store's path. */
export function writeCase(dir: string, entry: HostileCase): string {
  if (entry.zipped) {
    const path = join(dir, `${entry.name}.zarr.zip`);
    mkdirSync(dir, { recursive: true });
    // A zipped entry takes the place of a file of the same name.
    writeFileSync(path, zipOf({ ...Object.fromEntries(Object.entries(entry.files).map(([key, content]) => [key, fileBytes(content)])), ...entry.zipped }));
    return path;
  }
  const root = join(dir, `${entry.name}.zarr`);
  for (const [key, content] of Object.entries(entry.files)) {
    const path = join(root, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fileBytes(content));
  }
  mkdirSync(root, { recursive: true });
  return root;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: npx tsx tests/hostile-catalogue.ts DIR");
  for (const entry of CATALOGUE) process.stdout.write(`${writeCase(dir, entry)}\t${entry.what}\n`);
}
