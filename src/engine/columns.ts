import { DataType, Field, type Data, type Schema, type Table } from "apache-arrow";

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
  return schemaColumns(table.schema);
}

/** A schema's columns with their roles (see tableColumns). */
export function schemaColumns(schema: Schema): TableColumn[] {
  return schema.fields.map((f) => ({
    name: f.name,
    role: (f.metadata.get(ROLE_KEY) as ColumnRole | undefined) ?? "value",
    type: String(f.type),
    numeric: DataType.isFloat(f.type) || DataType.isInt(f.type),
    dims:
      f.metadata
        .get(DIMS_KEY)
        ?.split(",")
        .filter((d) => d !== "") ?? [],
  }));
}

export type NumberColumn = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** A number column's values, batch by batch, as the typed arrays Arrow holds (no copy). */
export function numberBatches(table: Table, name: string): NumberColumn[] {
  const vector = table.getChild(name);
  if (!vector || !(DataType.isFloat(vector.type) || DataType.isInt(vector.type))) {
    throw new TypeError(`column '${name}' is not a number column of this table`);
  }
  return vector.data.map((d) => {
    const values = d.values as NumberColumn | BigInt64Array | BigUint64Array;
    return values instanceof BigInt64Array || values instanceof BigUint64Array ? Float64Array.from(values, Number) : values;
  });
}

/** Integer labels spanning at most this many values are coded through a lookup table. */
const MAX_LOOKUP_SPAN = 1 << 22;

/**
 * Codes for a label column (a dimension or the source): each row's label as an index into
 * `labels`, batch by batch, without row objects. Dictionary columns keep dictionary order;
 * number labels come in ascending order.
 */
export class LabelCoder {
  readonly labels: (string | number)[] = [];
  readonly #batches: readonly Data[];
  readonly #translations = new Map<unknown, Int32Array>();
  #lookup?: { min: number; codes: Int32Array };
  #position = new Map<string | number, number>();

  constructor(table: Table, name: string) {
    const vector = table.getChild(name);
    if (!vector) throw new TypeError(`no column '${name}' in this table`);
    this.#batches = vector.data;
    if (vector.data.every((d) => d.dictionary)) {
      // Batches usually share one dictionary: each distinct one is translated once.
      for (const data of vector.data) {
        if (this.#translations.has(data.dictionary)) continue;
        const labels = data.dictionary!.toArray() as (string | number)[];
        this.#translations.set(
          data.dictionary,
          Int32Array.from(labels, (l) => this.#codeOf(l)),
        );
      }
    } else {
      this.#codeNumbers();
    }
  }

  #codeOf(label: string | number): number {
    let code = this.#position.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(label);
      this.#position.set(label, code);
    }
    return code;
  }

  /** Number labels: find the distinct values (through a lookup table when they are small integers). */
  #codeNumbers(): void {
    let min = Infinity;
    let max = -Infinity;
    let integers = true;
    for (const data of this.#batches) {
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) {
        const v = Number(values[i]);
        if (v < min) min = v;
        if (v > max) max = v;
        if (integers && !Number.isInteger(v)) integers = false;
      }
    }
    if (integers && max - min < MAX_LOOKUP_SPAN) {
      const codes = new Int32Array(max - min + 1).fill(-1);
      for (const data of this.#batches) {
        const values = data.values as ArrayLike<number>;
        for (let i = 0; i < data.length; i++) codes[Number(values[i]) - min] = 0;
      }
      for (let v = 0; v < codes.length; v++) if (codes[v] === 0) codes[v] = this.#codeOf(v + min);
      this.#lookup = { min, codes };
      return;
    }
    const distinct = new Set<number>();
    for (const data of this.#batches) {
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) distinct.add(Number(values[i]));
    }
    for (const v of [...distinct].sort((a, b) => a - b)) this.#codeOf(v);
  }

  get batchCount(): number {
    return this.#batches.length;
  }

  /** The codes of batch `b`'s rows, written into `out` (at least the batch's length). */
  codeBatch(b: number, out: Int32Array): Int32Array {
    const data = this.#batches[b];
    const n = data.length;
    const translate = data.dictionary && this.#translations.get(data.dictionary);
    if (translate) {
      const indices = data.values as Int8Array | Int16Array | Int32Array;
      for (let i = 0; i < n; i++) out[i] = translate[indices[i]];
    } else if (this.#lookup) {
      const { min, codes } = this.#lookup;
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = codes[Number(values[i]) - min];
    } else {
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = this.#position.get(Number(values[i]))!;
    }
    return out.subarray(0, n);
  }
}
