import { Bool, type DataType, Dictionary, Utf8 } from "apache-arrow";
import { formatNumber, megabytes } from "./units.ts";

/**
 * Bytes a row of a text column takes, as an estimate (its 4-byte offset and a short label): the
 * exact size is known only once the text is read, and a budget must be checked before that.
 */
const TEXT_BYTES = 16;

/** Bytes one row of a column of `type` takes in an Arrow table. */
export function bytesPerRow(type: DataType): number {
  if (type instanceof Dictionary) return bytesPerRow(type.indices);
  if (type instanceof Utf8) return TEXT_BYTES;
  if (type instanceof Bool) return 1 / 8;
  return (type as DataType & { ArrayType: { BYTES_PER_ELEMENT: number } }).ArrayType.BYTES_PER_ELEMENT;
}

/** "400,000,000 rows × 20 bytes = 8000 MB". */
export function describeSize(rows: number, rowBytes: number): string {
  return `${formatNumber(rows)} rows × ${Number(rowBytes.toFixed(2))} bytes = ${megabytes(rows * rowBytes)}`;
}
