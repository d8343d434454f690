import { type Dictionary, Float64, Int16, Int32, Int8, Uint16, Uint32, Uint8, type DataType, type Vector } from "apache-arrow";
import { indexArrayFor, indexTypeFor, stringDictionary } from "./arrow-build.ts";
import type { NumericData } from "./column-data.ts";

export type Label = string | number;

/**
 * How one dimension column is encoded across everything a query returns: strings as a dictionary
 * shared by every batch, integers as the smallest integer type that holds them (chain 0..3 as
 * uint8, draw 0..999 as uint16), other numbers as float64. `encode` turns labels into the
 * column's stored values (dictionary indices, or the numbers themselves).
 */
export interface DimDomain {
  name: string;
  type: DataType;
  dictionary?: Vector;
  encode(labels: readonly Label[]): NumericData;
  allocate(length: number): NumericData;
}

type IntType = Uint8 | Uint16 | Uint32 | Int8 | Int16 | Int32;

/** The smallest integer type holding every one of `labels`, unsigned when none is negative; none when they are not all integers. */
export function intTypeFor(labels: readonly number[]): IntType | undefined {
  if (!labels.every((v) => Number.isInteger(v))) return undefined;
  let [min, max] = [0, 0];
  for (const v of labels) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const candidates: IntType[] = min >= 0 ? [new Uint8(), new Uint16(), new Uint32()] : [new Int8(), new Int16(), new Int32()];
  return candidates.find((type) => {
    const bits = type.bitWidth - (type.isSigned ? 1 : 0);
    return min >= (type.isSigned ? -(2 ** bits) : 0) && max < 2 ** bits;
  });
}

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
  const type = intTypeFor(all as number[]) ?? new Float64();
  const make = (n: number): NumericData => new type.ArrayType(n);
  return {
    name,
    type,
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
