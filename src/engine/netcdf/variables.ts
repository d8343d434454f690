import type { Dataset, Group } from "h5wasm";
import { StoreError } from "../errors.ts";

/**
 * What a netCDF-4 file holds, as xarray reads it: its groups (ArviZ writes one per group), each
 * with its variables, their dimensions (from netCDF's dimension scales), Zarr dtype and attributes.
 */
export interface NetcdfVariable {
  name: string;
  /** The HDF5 dataset's path. */
  path: string;
  dims: string[];
  shape: number[];
  /** The HDF5 chunk shape, or undefined for a contiguous dataset. */
  chunks?: number[];
  /** As Zarr v2 names it: `<f8`, `<i8`, `|i1`, `<U5`… */
  dtype: string;
  attrs: Record<string, unknown>;
}

export interface NetcdfGroup {
  name: string;
  attrs: Record<string, unknown>;
  variables: NetcdfVariable[];
}

/** netCDF's and HDF5's bookkeeping attributes, which xarray does not show. */
const INTERNAL_ATTRS = new Set(["CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Coordinates", "_Netcdf4Dimid", "_NCProperties", "_nc3_strict", "_FillValue"]);

/** A dimension netCDF made a dataset for, though it is no variable (a dimension without coordinates). */
const PURE_DIMENSION = "This is a netCDF dimension but not a netCDF variable";

// HDF5 type classes, as h5wasm's metadata gives them.
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** Attributes as xarray gives them: one-value arrays as their value, netCDF's own left out. */
export function attributesOf(object: Group | Dataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(object.attrs)) {
    if (INTERNAL_ATTRS.has(name)) continue;
    // An empty attribute (HDF5's null dataspace: ArviZ's sample_dims of a group without draws) is an empty list to xarray.
    let value: unknown = object.get_attribute(name, true) ?? [];
    if (Array.isArray(value) && value.length === 1) value = value[0];
    out[name] = typeof value === "bigint" ? Number(value) : value;
  }
  return out;
}

/** A Zarr v2 dtype for an HDF5 dataset's numbers; strings are measured where they are read. */
function numericDtype(dataset: Dataset, where: string): string | undefined {
  const { type, size, signed } = dataset.metadata;
  if (type === H5T_FLOAT && (size === 4 || size === 8)) return `<f${size}`;
  if (type === H5T_INTEGER && [1, 2, 4, 8].includes(size)) return `${size === 1 ? "|" : "<"}${signed ? "i" : "u"}${size}`;
  if (type === H5T_STRING) return undefined;
  throw new StoreError(`${where} holds HDF5 data of a kind drawscope does not read (type class ${type}, ${size} bytes): only numbers and strings`, where);
}

/** The longest string of a string dataset, in characters (at least 1), for its `<U` dtype. */
export function longestString(values: readonly string[]): number {
  return Math.max(1, ...values.map((v) => [...v].length));
}

/**
 * Each dimension of a dataset: the dimension scale attached to it (netCDF's dimensions), the
 * dataset's own name for a coordinate variable (a scale itself), else a phony name as xarray gives
 * plain HDF5 datasets (`phony_dim_0`… by size, in order of first use in the group).
 */
function dimensionsOf(dataset: Dataset, name: string, shape: number[], phony: Map<number, string>): string[] {
  const scale = dataset.get_scale_name() !== null;
  return shape.map((size, axis) => {
    const attached = dataset.get_attached_scales(axis) as string[];
    if (attached.length) return basename(attached[0]);
    if (scale && shape.length === 1) return name;
    let phonyName = phony.get(size);
    if (!phonyName) phony.set(size, (phonyName = `phony_dim_${phony.size}`));
    return phonyName;
  });
}

/** The groups of a netCDF-4 file and their variables (datasets that are dimensions only are left out). */
export function netcdfGroups(root: Group, label: string): NetcdfGroup[] {
  const groups: NetcdfGroup[] = [];
  for (const groupName of root.keys()) {
    const group = root.get(groupName);
    if (!group || !("keys" in group) || "shape" in group) continue;
    const phony = new Map<number, string>();
    const variables: NetcdfVariable[] = [];
    for (const name of (group as Group).keys()) {
      const dataset = (group as Group).get(name) as Dataset | null;
      if (!dataset || !("shape" in dataset)) continue;
      const where = `${label}: ${dataset.path}`;
      const nameAttr = dataset.attrs.NAME ? dataset.get_attribute("NAME", true) : undefined;
      if (typeof nameAttr === "string" && nameAttr.startsWith(PURE_DIMENSION)) continue;
      const shape = dataset.shape ?? [];
      const dtype = numericDtype(dataset, where) ?? "string";
      variables.push({
        name,
        path: dataset.path,
        dims: dimensionsOf(dataset, name, shape, phony),
        shape,
        chunks: dataset.metadata.chunks ?? undefined,
        dtype,
        attrs: attributesOf(dataset),
      });
    }
    groups.push({ name: groupName, attrs: attributesOf(group as Group), variables });
  }
  return groups;
}
