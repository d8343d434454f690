import * as zarr from "zarrita";
import { isDrawscopeError, SERVER_REACH_HINT, StoreError } from "./errors.ts";
import { mapLimit } from "./limit.ts";
import type { WorkPool } from "./pool/pool.ts";
import { readWhole, rememberFormat, type ZarrArray } from "./read.ts";
import { checkArrayShape, checkDimensionNames, checkDimensionSize, checkFillValue } from "./validate.ts";
import { withV3Metadata } from "./store/v3-metadata.ts";
import { withCheckedRanges } from "./store/checked-ranges.ts";
import { remoteChunksOf, type RemoteChunks, type TraceStore } from "./store/types.ts";
import { ARVIZ_GROUPS, type DimInfo, type GroupInfo, type TraceTree, type VariableInfo } from "./trace-tree.ts";

const DEFAULT_SAMPLE_DIMS = ["chain", "draw"];

/** An opened trace's structure and the zarrita arrays behind it. */
export interface OpenedTree {
  tree: TraceTree;
  arrays: Map<string, ZarrArray>;
  /** Workers that decode large chunks, when the platform provides them. */
  pool?: WorkPool;
  /** Where those workers fetch large chunks themselves, for a Zarr folder over HTTP. */
  remote?: RemoteChunks;
}

function dtypeName(array: ZarrArray): string {
  const dt = String(array.dtype);
  if (array.attrs?.dtype === "bool") return "bool";
  if (dt.startsWith("v2:U") || dt.startsWith("v2:S") || dt === "v2:object" || dt === "string") return "string";
  return dt;
}

/**
 * An array's dimension names: v3's `dimension_names` (an unnamed axis, null, gets xarray's
 * fallback name) or v2's `_ARRAY_DIMENSIONS`; without either, xarray's fallback names, so every
 * axis can still be spread. Names that do not fit the array are refused (checkDimensionNames).
 */
function dimensionNames(path: string, array: ZarrArray, format: 2 | 3): string[] {
  const fallback = (k: number) => `dim_${k}`;
  const key = format === 3 ? "dimension_names" : "_ARRAY_DIMENSIONS";
  // zarrita gives v2's attribute as dimensionNames too.
  const names = array.dimensionNames ?? array.attrs?._ARRAY_DIMENSIONS;
  const named = Array.isArray(names) ? names.map((n, k) => (n === null && format === 3 ? fallback(k) : n)) : names;
  return checkDimensionNames(path, named, array.shape.length, key) ?? array.shape.map((_, k) => fallback(k));
}

/** The store's top-level metadata document, if it has one; a StoreError when it cannot be read. */
async function topMetadata(store: TraceStore, key: string): Promise<boolean> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await store.store.get(`/${key}` as zarr.AbsolutePath);
  } catch (error) {
    // A server that stopped answering is told as itself (timed-fetch.ts).
    if (isDrawscopeError(error, "store")) throw error;
    throw new StoreError(`cannot read ${key} of ${store.label}: ${(error as Error).message}. ${SERVER_REACH_HINT}`, store.label);
  }
  if (bytes === undefined) return false;
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new StoreError(
      `${store.label} has a ${key} that is not JSON, so it is not Zarr metadata (a web server may have answered with a page instead): check that the address points at the Zarr folder itself.`,
      store.label,
    );
  }
  if (key === "zarr.json" && (document as { node_type?: unknown } | null)?.node_type !== "group") {
    const kind = (document as { node_type?: unknown } | null)?.node_type;
    throw new StoreError(
      `${store.label} has a zarr.json at its top that describes ${kind === "array" ? "an array" : `a node of type ${JSON.stringify(kind)}`}, not a group: ` +
        "an ArviZ trace is a group of groups. Open the folder that holds the groups (posterior, sample_stats, ...).",
      store.label,
    );
  }
  return true;
}

async function detectFormat(store: TraceStore): Promise<2 | 3> {
  if (await topMetadata(store, "zarr.json")) return 3;
  if ((await topMetadata(store, ".zgroup")) || (await topMetadata(store, ".zmetadata"))) return 2;
  throw new StoreError(
    `${store.label} is not a Zarr store: no zarr.json (format 3) or .zgroup/.zmetadata (format 2) at its top. ` +
      "Open the folder that holds the groups (posterior, sample_stats, ...), or a zip of it.",
    store.label,
  );
}

type Readable = zarr.Readable;

/** Child names of a group: from consolidated metadata, else the folder listing, else ArviZ's names. */
async function childPaths(
  store: Readable & { contents?: () => { path: string; kind: "array" | "group" }[] },
  listing: TraceStore["list"],
  parent: string,
): Promise<{ names: string[]; listed: boolean }> {
  if (store.contents) {
    const prefix = parent === "" ? "/" : `/${parent}/`;
    const names = store
      .contents()
      .map((c) => c.path)
      .filter((p) => p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes("/"))
      .map((p) => p.slice(prefix.length));
    return { names: [...new Set(names)], listed: true };
  }
  // A folder also lists its own metadata files (.zattrs, .zgroup, zarr.json): they are not children.
  if (listing) return { names: (await listing(parent)).filter((n) => !n.startsWith(".") && n !== "zarr.json"), listed: true };
  return { names: parent === "" ? ARVIZ_GROUPS : [], listed: false };
}

/** A node that may be absent: undefined when the store has nothing there, a StoreError when it is broken. */
async function orAbsent<T>(open: Promise<T>, kind: "array" | "group", path: string): Promise<T | undefined> {
  try {
    return await open;
  } catch (error) {
    if (zarr.isZarritaError(error, "NotFoundError")) return undefined;
    if (isDrawscopeError(error, "store")) throw error;
    throw new StoreError(`cannot open ${kind} ${path} in the store: ${(error as Error).message}`, path);
  }
}

function openArray(root: zarr.Location<Readable>, path: string, format: 2 | 3): Promise<ZarrArray | undefined> {
  const loc = root.resolve(path);
  const array = format === 3 ? zarr.open.v3(loc, { kind: "array" }) : zarr.open.v2(loc, { kind: "array" });
  return orAbsent(
    array.then((a) => rememberFormat(a, format)),
    "array",
    path,
  );
}

function openGroup(root: zarr.Location<Readable>, path: string, format: 2 | 3): Promise<zarr.Group<Readable> | undefined> {
  const loc = root.resolve(path);
  return orAbsent(format === 3 ? zarr.open.v3(loc, { kind: "group" }) : zarr.open.v2(loc, { kind: "group" }), "group", path);
}

function sampleDimsOf(attrs: Record<string, unknown>): string[] | undefined {
  const v = attrs.sample_dims;
  return Array.isArray(v) && v.every((d) => typeof d === "string") ? (v as string[]) : undefined;
}

/** A group as its metadata describes it; its dimensions' labels are read after (`readDim`). */
interface DescribedGroup {
  info: Omit<GroupInfo, "dims">;
  dims: { name: string; size: number; coord?: ZarrArray }[];
}

/** Coordinate arrays read at once while opening a trace, so a trace with many does not flood the store. */
const COORDINATE_READS = 8;

async function describeGroup(
  root: zarr.Location<Readable>,
  store: Readable,
  listing: TraceStore["list"],
  format: 2 | 3,
  name: string,
  arrays: Map<string, ZarrArray>,
): Promise<DescribedGroup | undefined> {
  const group = await openGroup(root, name, format);
  if (!group) return undefined;
  const attrs = group.attrs ?? {};
  const { names } = await childPaths(store, listing, name);
  // In the names' order: Promise.all keeps it.
  const opened = (await Promise.all(names.map(async (child) => ({ child, array: await openArray(root, `${name}/${child}`, format) })))).filter(
    (x): x is { child: string; array: ZarrArray } => x.array !== undefined,
  );

  const coordArrays = new Map<string, ZarrArray>();
  const dataArrays: { child: string; array: ZarrArray; dims: string[] }[] = [];
  for (const { child, array } of opened) {
    const path = `${name}/${child}`;
    checkArrayShape(path, array.shape, array.chunks);
    checkFillValue(path, String(array.dtype), array.fillValue);
    const dims = dimensionNames(path, array, format);
    if (dims.length === 1 && dims[0] === child) coordArrays.set(child, array);
    else dataArrays.push({ child, array, dims });
    arrays.set(`${name}/${child}`, array);
  }

  const declared = sampleDimsOf(attrs);
  // Each dimension's length as every array having it gives it; they must agree.
  const lengths = new Map<string, { path: string; size: number }[]>();
  const add = (dim: string, path: string, size: number) => {
    const seen = lengths.get(dim);
    if (seen) seen.push({ path, size });
    else lengths.set(dim, [{ path, size }]);
  };
  // Variables in name order (listings differ between stores and browsers), so a disagreement is told the same way.
  const byName = [...dataArrays].sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : 0));
  for (const { child, array, dims } of byName) dims.forEach((d, k) => add(d, `${name}/${child}`, array.shape[k]));
  for (const [d, array] of coordArrays) add(d, `${name}/${d}`, array.shape[0]);
  const sizes = new Map([...lengths].map(([dim, seen]) => [dim, checkDimensionSize(name, dim, seen)]));

  const variables: VariableInfo[] = dataArrays.map(({ child, array, dims }) => ({
    group: name,
    name: child,
    dims,
    shape: array.shape.slice(),
    dtype: dtypeName(array),
    attrs: array.attrs ?? {},
    sampleDims: dims.filter((d) => (declared ?? DEFAULT_SAMPLE_DIMS).includes(d)),
  }));

  const sampleDims = declared ?? DEFAULT_SAMPLE_DIMS.filter((d) => sizes.has(d));
  return { info: { name, attrs, sampleDims, variables }, dims: [...sizes].map(([dim, size]) => ({ name: dim, size, coord: coordArrays.get(dim) })) };
}

/** A dimension with its labels: its coordinate's values, or 0 … n-1 without one. */
async function readDim({ name, size, coord }: DescribedGroup["dims"][number]): Promise<DimInfo> {
  if (!coord) return { name, size, labels: Array.from({ length: size }, (_, i) => i), hasCoordinate: false };
  const values = await readWhole(coord);
  const labels = values.kind === "string" ? values.data : Array.from(values.data as ArrayLike<number>, Number);
  return { name, size, labels, hasCoordinate: true };
}

/** Open a store and describe it: groups, their variables with dims and shapes, and coordinate labels. */
export async function openTree(source: TraceStore, pool?: WorkPool, remote = remoteChunksOf(source.store)): Promise<OpenedTree> {
  const format = await detectFormat(source);
  const base = withCheckedRanges(withV3Metadata(source.store));
  // Consolidated metadata when the store has it; without, nodes are found by listing.
  const store: Readable & { contents?: () => { path: string; kind: "array" | "group" }[] } = await zarr
    .withMaybeConsolidatedMetadata(base, { format: format === 3 ? "v3" : "v2" })
    .catch((error: unknown) => {
      throw new StoreError(`cannot read the metadata of ${source.label}: ${(error as Error).message}`, source.label);
    });
  const root = zarr.root(store);
  const arrays = new Map<string, ZarrArray>();
  const { names } = await childPaths(store, source.list, "");
  const described = (await Promise.all(names.map((name) => describeGroup(root, store, source.list, format, name, arrays)))).filter((g): g is DescribedGroup => g !== undefined);
  // Every group's coordinates through one limit, not each group's all at once.
  const dims = await mapLimit(
    described.flatMap((g) => g.dims),
    COORDINATE_READS,
    readDim,
  );
  let next = 0;
  const groups: GroupInfo[] = described.map(({ info, dims: own }) => ({ ...info, dims: dims.slice(next, (next += own.length)) }));
  if (groups.length === 0) {
    throw new StoreError(`${source.label} is a Zarr store but holds no groups: an ArviZ trace has groups such as posterior and sample_stats`, source.label);
  }
  const origin = source.origin === undefined ? {} : { origin: source.origin };
  return { tree: { label: source.label, ...origin, zarrFormat: format, consolidated: store !== base, groups }, arrays, pool, remote };
}
