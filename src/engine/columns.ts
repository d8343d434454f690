import { DataType, Field, type Table } from "apache-arrow";

/**
 * What a column of a tidy table is: `sample` (chain, draw), `dim` (a dimension's labels),
 * `source` (the group a row came from when groups are stacked), or `value` (a variable's draws).
 * Stored in each field's metadata so it survives Arrow IPC.
 */
export type ColumnRole = "sample" | "dim" | "source" | "value";

const ROLE_KEY = "drawscope:role";
const DIMS_KEY = "drawscope:dims";

/** A field with its role; a value field also names the dimensions its variable varies over. */
export function roleField(name: string, type: DataType, role: ColumnRole, dims?: readonly string[]): Field {
  const metadata = new Map<string, string>([[ROLE_KEY, role]]);
  if (dims) metadata.set(DIMS_KEY, dims.join(","));
  return new Field(name, type, false, metadata);
}

export interface TableColumn {
  name: string;
  role: ColumnRole;
  /** Arrow's name for the type, e.g. `Float64`, `Dictionary<Int8, Utf8>`. */
  type: string;
  /** True for number columns a density or interval can be drawn from. */
  numeric: boolean;
  /** For a value: the dimensions (besides chain and draw) its variable varies over. */
  dims: string[];
}

/** The table's columns with their roles; a field without a role counts as a value. */
export function tableColumns(table: Table): TableColumn[] {
  return table.schema.fields.map((f) => ({
    name: f.name,
    role: (f.metadata.get(ROLE_KEY) as ColumnRole | undefined) ?? "value",
    type: String(f.type),
    numeric: DataType.isFloat(f.type) || DataType.isInt(f.type),
    dims: f.metadata.get(DIMS_KEY)?.split(",").filter((d) => d !== "") ?? [],
  }));
}

export type NumberColumn = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** A number column as one typed array (no copy when the table has a single batch). */
export function numberColumn(table: Table, name: string): NumberColumn {
  const vector = table.getChild(name);
  if (!vector || !(DataType.isFloat(vector.type) || DataType.isInt(vector.type))) {
    throw new TypeError(`column '${name}' is not a number column of this table`);
  }
  const values = vector.toArray() as NumberColumn | BigInt64Array;
  return values instanceof BigInt64Array ? Float64Array.from(values, Number) : values;
}

/** A label column as codes into its distinct labels (in first-seen order, per dictionary order). */
export interface LabelCodes {
  codes: Int32Array;
  labels: (string | number)[];
}

/** Encode a dimension (or source) column as integer codes, for grouping rows without row objects. */
export function labelCodes(table: Table, name: string): LabelCodes {
  const vector = table.getChild(name);
  if (!vector) throw new TypeError(`no column '${name}' in this table`);
  const codes = new Int32Array(table.numRows);
  const labels: (string | number)[] = [];
  const position = new Map<string | number, number>();
  const codeOf = (label: string | number) => {
    let code = position.get(label);
    if (code === undefined) {
      code = labels.length;
      labels.push(label);
      position.set(label, code);
    }
    return code;
  };
  let offset = 0;
  for (const data of vector.data) {
    if (data.dictionary) {
      // Map the batch's dictionary once; then each row is one array lookup.
      const dictionary = data.dictionary.toArray() as (string | number)[];
      const translate = Int32Array.from(dictionary, (l) => codeOf(l));
      const indices = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) codes[offset + i] = translate[indices[i]];
    } else {
      const values = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < data.length; i++) codes[offset + i] = codeOf(Number(values[i]));
    }
    offset += data.length;
  }
  return { codes, labels };
}
