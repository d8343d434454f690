import type { Dataset, File as H5File } from "h5wasm";
import { StoreError } from "../errors.ts";
import type { TraceStore } from "../store/types.ts";
import { VirtualZarr, type ChunkReader } from "../store/virtual-zarr.ts";
import { attributesOf, longestString, netcdfGroups, type NetcdfVariable } from "./variables.ts";

/** The largest chunk a contiguous dataset is cut into: a few MB, as a written store's chunks. */
const CHUNK_BYTES = 8 << 20;

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/**
 * Chunks for a contiguous dataset: whole trailing axes and a run of the first axis that does not
 * fit whole, at most CHUNK_BYTES, so a selection reads what it needs of a big variable.
 */
export function contiguousChunks(shape: readonly number[], itemBytes: number): number[] {
  const chunks = [...shape];
  for (let k = 0; k < shape.length; k++) {
    const perIndex = itemBytes * product(shape.slice(k + 1));
    if (perIndex * shape[k] <= CHUNK_BYTES) break;
    chunks[k] = Math.max(1, Math.min(shape[k], Math.floor(CHUNK_BYTES / perIndex)));
    if (chunks[k] > 1) break;
  }
  return chunks;
}

/** A region's bytes (C order, `region` its shape) inside a chunk of shape `chunk`, the rest zero, as Zarr pads edge chunks. */
function padded(bytes: Uint8Array, region: readonly number[], chunk: readonly number[], itemBytes: number): Uint8Array {
  const out = new Uint8Array(product(chunk) * itemBytes);
  const last = region.length - 1;
  const run = region[last] * itemBytes;
  const rows = product(region.slice(0, last));
  const index = new Array<number>(last).fill(0);
  for (let r = 0; r < rows; r++) {
    let at = 0;
    for (let k = 0; k < last; k++) at = at * chunk[k] + index[k];
    out.set(bytes.subarray(r * run, (r + 1) * run), at * chunk[last] * itemBytes);
    for (let k = last - 1; k >= 0; k--) {
      if (++index[k] < region[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/** Strings as Zarr's `<U{width}`: UTF-32 (little-endian), each padded with zeros to `width` characters. */
function utf32(values: readonly string[], width: number): Uint8Array {
  const out = new Uint32Array(values.length * width);
  values.forEach((value, i) => [...value].forEach((char, j) => (out[i * width + j] = char.codePointAt(0)!)));
  return new Uint8Array(out.buffer);
}

/** Why the file's bytes could not be read, when that is why HDF5 failed. */
type SourceFailure = () => Error | undefined;

/** The chunks of a numeric dataset, each read as the hyperslab it covers (HDF5 decompresses it). */
function numericReader(dataset: Dataset, variable: NetcdfVariable, chunks: readonly number[], itemBytes: number, label: string, failure: SourceFailure): ChunkReader {
  const { shape } = variable;
  const grid = shape.map((n, k) => Math.ceil(n / chunks[k]));
  return (coords) => {
    if (coords.length !== shape.length || coords.some((c, k) => !(c >= 0 && c < grid[k]))) return undefined;
    const ranges = coords.map((c, k): [number, number] => [c * chunks[k], Math.min(shape[k], (c + 1) * chunks[k])]);
    let data: unknown;
    try {
      if (shape.length === 0) return scalarBytes(dataset.value, variable.dtype);
      data = dataset.slice(ranges);
    } catch (error) {
      throw failure() ?? new StoreError(`cannot read ${variable.path} of ${label}: ${(error as Error).message}`, variable.path);
    }
    const bytes = bytesOf(data, variable.path, label);
    const region = ranges.map(([start, end]) => end - start);
    return region.every((n, k) => n === chunks[k]) ? bytes : padded(bytes, region, chunks, itemBytes);
  };
}

/** A scalar dataset's value (h5wasm gives it as a number or a bigint) as the bytes of its Zarr dtype. */
function scalarBytes(value: unknown, dtype: string): Uint8Array {
  const size = Number(dtype.slice(2));
  const view = new DataView(new ArrayBuffer(size));
  const kind = dtype[1];
  if (kind === "f") size === 8 ? view.setFloat64(0, Number(value), true) : view.setFloat32(0, Number(value), true);
  else if (size === 8) kind === "i" ? view.setBigInt64(0, BigInt(value as bigint), true) : view.setBigUint64(0, BigInt(value as bigint), true);
  else {
    const set = { i: { 1: view.setInt8, 2: view.setInt16, 4: view.setInt32 }, u: { 1: view.setUint8, 2: view.setUint16, 4: view.setUint32 } }[kind as "i" | "u"][size as 1 | 2 | 4];
    set.call(view, 0, Number(value), true);
  }
  return new Uint8Array(view.buffer);
}

function bytesOf(data: unknown, path: string, label: string): Uint8Array {
  if (!ArrayBuffer.isView(data)) throw new StoreError(`cannot read ${path} of ${label}: HDF5 gave no numbers for it`, path);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Whether xarray would see netCDF in the file: netCDF's own attribute, or dimensions it attached. */
function isNetcdf(file: H5File, variables: readonly NetcdfVariable[]): boolean {
  return Object.keys(file.attrs).includes("_NCProperties") || variables.some((v) => v.dims.some((d) => !d.startsWith("phony_dim_")));
}

/**
 * An opened netCDF-4 file (ArviZ's `to_netcdf`) as the Zarr store ArviZ would write for the same
 * trace: the same groups, variables, dimensions and coordinates, so it opens, queries and links
 * (the same fingerprint) as its Zarr copy. Chunks are the file's own (or cuts of a contiguous
 * dataset), read as hyperslabs when asked for: the file is never read whole.
 */
export function netcdfZarr(file: H5File, label: string, failure: SourceFailure = () => undefined): TraceStore {
  const groups = netcdfGroups(file, label);
  if (
    !isNetcdf(
      file,
      groups.flatMap((g) => g.variables),
    )
  ) {
    throw new StoreError(
      `${label} is an HDF5 file but not a netCDF-4 one (it has no netCDF dimensions): drawscope reads ArviZ traces saved with idata.to_netcdf("trace.nc"), or saved as Zarr (idata.to_zarr("trace.zarr")).`,
      label,
    );
  }
  if (!groups.length) throw new StoreError(`${label} is a netCDF-4 file without groups: an ArviZ trace has groups such as posterior and sample_stats`, label);
  const zarr = new VirtualZarr();
  zarr.group("", attributesOf(file));
  for (const group of groups) {
    zarr.group(group.name, group.attrs);
    for (const variable of group.variables) {
      const dataset = file.get(variable.path) as Dataset;
      const path = `${group.name}/${variable.name}`;
      const { dims, shape, attrs } = variable;
      if (variable.dtype === "string") {
        // Labels are small: read whole, once, and kept.
        const values = ([] as unknown[]).concat(dataset.value).map(String);
        const width = longestString(values);
        const bytes = utf32(values, width);
        zarr.array(path, { dims, shape, chunks: shape, dtype: `<U${width}`, attrs }, (coords) => (coords.every((c) => c === 0) ? bytes.slice() : undefined));
        continue;
      }
      const itemBytes = Number(variable.dtype.slice(2));
      const chunks = variable.chunks ?? contiguousChunks(shape, itemBytes);
      zarr.array(path, { dims, shape, chunks, dtype: variable.dtype, attrs }, numericReader(dataset, variable, chunks, itemBytes, label, failure));
    }
  }
  return { store: zarr.store(), label, origin: "NetCDF-4" };
}
