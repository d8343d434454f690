import { StoreError } from "./errors.ts";

// Checks of a store's metadata made when it is opened, before anything is planned or allocated:
// a shape, chunk shape or dimension that no real trace has is refused by name, where reading on
// would crash, hang, or give numbers that are not in the store.

/** Positions a dimension may have: its labels are held in memory (a larger one is refused when the trace is opened). */
const MAX_LABELS = 10_000_000;
/** Chunks an array may be stored in: planning walks its chunk grid. */
const MAX_CHUNKS = 100_000;
/** Values a chunk may hold: a chunk is decoded whole, into one buffer (2 GiB of float64). */
const MAX_CHUNK_VALUES = 2 ** 28;

const shown = (values: readonly unknown[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
const isCount = (n: unknown, least: number) => typeof n === "number" && Number.isInteger(n) && n >= least;

/**
 * An array's shape and chunk shape: whole numbers (a shape's ≥ 0, a chunk's ≥ 1), one per axis, a
 * grid of at most MAX_CHUNKS chunks. `path` names the array in messages.
 */
export function checkArrayShape(path: string, shape: readonly unknown[], chunks: readonly unknown[]): void {
  if (!shape.every((n) => isCount(n, 0))) {
    throw new StoreError(`${path} has the shape ${shown(shape)}: each length must be a whole number, 0 or more. Its metadata is damaged; write the trace again.`, path);
  }
  if (chunks.length !== shape.length || !chunks.every((n) => isCount(n, 1))) {
    throw new StoreError(
      `${path} has the chunk shape ${shown(chunks)} for its shape ${shown(shape)}: it needs one whole number, 1 or more, per axis. Its metadata is damaged; write the trace again.`,
      path,
    );
  }
  const values = (chunks as number[]).reduce((a, b) => a * b, 1);
  if (values > MAX_CHUNK_VALUES) {
    throw new StoreError(
      `${path} has chunks of ${shown(chunks)}, ${values.toLocaleString("en-US")} values each, more than drawscope decodes in one piece (${MAX_CHUNK_VALUES.toLocaleString("en-US")}): ` +
        "store it in smaller chunks (e.g. xarray's .chunk() before to_zarr).",
      path,
    );
  }
  const grid = (shape as number[]).reduce((n, length, k) => n * Math.ceil(length / (chunks[k] as number)), 1);
  if (grid > MAX_CHUNKS) {
    throw new StoreError(
      `${path} is stored in ${grid.toLocaleString("en-US")} chunks of ${shown(chunks)}, more than drawscope reads (${MAX_CHUNKS.toLocaleString("en-US")}): ` +
        "store it in larger chunks (e.g. xarray's .chunk() before to_zarr).",
      path,
    );
  }
}

/** The whole numbers each integer type holds. */
const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

const asInteger = (value: unknown): bigint | undefined => (typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined);

/**
 * An array's fill value, which stands for every chunk its writer left out (a chunk equal to it
 * everywhere): one its data type holds, or none (null). `fill` is as zarrita gives it, with
 * "NaN" and the infinities already numbers; `dtype` is zarrita's name of the type.
 */
export function checkFillValue(path: string, dtype: string, fill: unknown): void {
  if (fill === null || fill === undefined) return;
  const range = INTEGER_RANGES[dtype];
  const integer = range && asInteger(fill);
  const holds = dtype.startsWith("float")
    ? typeof fill === "number"
    : range
      ? integer !== undefined && integer >= range[0] && integer <= range[1]
      : dtype === "bool"
        ? typeof fill === "boolean" || fill === 0 || fill === 1
        : true;
  if (!holds) {
    const what = dtype.startsWith("float") ? `a number (or "NaN", "Infinity", "-Infinity")` : range ? `a whole number that ${dtype} holds` : "true or false";
    const text = typeof fill === "bigint" ? String(fill) : JSON.stringify(fill);
    throw new StoreError(
      `${path} has the fill value ${text}, but its data type ${dtype} needs ${what}. The fill value stands for the chunks a writer leaves out, so its metadata is damaged; write the trace again.`,
      path,
    );
  }
}

/** The names an array gives its dimensions (v3 `dimension_names`, v2 `_ARRAY_DIMENSIONS`): one non-empty text per axis. */
export function checkDimensionNames(path: string, names: unknown, rank: number, key: string): string[] | undefined {
  if (names === undefined || names === null) return undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && n !== "")) {
    throw new StoreError(`${path} has ${key} ${JSON.stringify(names)}: it must list one dimension name (a non-empty text) per axis.`, path);
  }
  if (names.length !== rank) {
    throw new StoreError(
      `${path} names ${names.length} dimension${names.length === 1 ? "" : "s"} (${names.join(", ")}) in ${key}, but it has ${rank} ax${rank === 1 ? "is" : "es"}: its metadata is damaged.`,
      path,
    );
  }
  return names as string[];
}

/** A dimension of `group`: every array that has it gives it the same length, its coordinate included, within MAX_LABELS. */
export function checkDimensionSize(group: string, dim: string, sizes: readonly { path: string; size: number }[]): number {
  const [first] = sizes;
  const other = sizes.find((s) => s.size !== first.size);
  if (other) {
    throw new StoreError(
      `dimension ${dim} of ${group} has ${first.size.toLocaleString("en-US")} positions in ${first.path} but ${other.size.toLocaleString("en-US")} in ${other.path}: ` +
        "the arrays of a group must agree on their dimensions' lengths (a coordinate as long as its dimension).",
      other.path,
    );
  }
  if (first.size > MAX_LABELS) {
    throw new StoreError(`dimension ${dim} of ${group} has ${first.size.toLocaleString("en-US")} positions, more than drawscope labels (${MAX_LABELS.toLocaleString("en-US")}).`, first.path);
  }
  return first.size;
}

/** A decoded chunk: exactly the values its shape holds, else the store is damaged (a truncated chunk, a header that lies). */
export function checkDecodedLength(where: string, coords: readonly number[], length: number, shape: readonly number[]): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (length !== expected) {
    const path = where.replace(/^\//, "");
    throw new StoreError(
      `chunk ${coords.join(".")} of ${path} decodes to ${length.toLocaleString("en-US")} value${length === 1 ? "" : "s"} where its shape ${shown(shape)} holds ${expected.toLocaleString("en-US")}: ` +
        "the chunk is truncated or its header is wrong. The store is damaged; write or copy it again.",
      path,
    );
  }
}
