import { Dictionary, Float64, Int32, type DataType, type Vector } from "apache-arrow";
import { indexArrayFor, indexTypeFor, stringDictionary } from "./arrow-build.ts";
import type { NumericData } from "./column-data.ts";

export type Label = string | number;

/**
 * How one dimension column is encoded across everything a query returns: strings as a dictionary
 * shared by every batch, integers as int32, other numbers as float64. `encode` turns labels into
 * the column's stored values (dictionary indices, or the numbers themselves).
 */
export interface DimDomain {
  name: string;
  type: DataType;
  dictionary?: Vector;
  encode(labels: readonly Label[]): NumericData;
  allocate(length: number): NumericData;
}

const INT32_MAX = 2 ** 31 - 1;

/** Build a dimension's encoding from every label list it takes in a query (one per source). */
export function dimDomain(name: string, labelLists: readonly (readonly Label[])[]): DimDomain {
  const all = labelLists.flat();
  const isString = all.some((l) => typeof l === "string");
  if (isString) {
    const labels = [...new Set(all.map(String))];
    const position = new Map(labels.map((l, i) => [l, i]));
    const indexType = indexTypeFor(labels.length);
    const { type, dictionary } = stringDictionary(labels, indexType);
    return {
      name,
      type,
      dictionary,
      allocate: (length) => indexArrayFor(indexType, length),
      encode(list) {
        const out = indexArrayFor(indexType, list.length);
        list.forEach((l, i) => (out[i] = position.get(String(l))!));
        return out;
      },
    };
  }
  const numbers = all as number[];
  const isInt = numbers.every((v) => Number.isInteger(v) && Math.abs(v) <= INT32_MAX);
  const make = (n: number): NumericData => (isInt ? new Int32Array(n) : new Float64Array(n));
  return {
    name,
    type: isInt ? new Int32() : new Float64(),
    allocate: make,
    encode(list) {
      const out = make(list.length);
      out.set(list as number[]);
      return out;
    },
  };
}

/** Dictionary for the `source` column naming the group of each row. */
export function sourceDomain(groups: readonly string[]): { type: Dictionary; dictionary: Vector } {
  return stringDictionary(groups, indexTypeFor(groups.length));
}
