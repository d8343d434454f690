/**
 * Zarr v3 may write a float array's fill value as the hex of its IEEE 754 bytes ("0x7fc00000", as
 * zarr-python does for a NaN with a payload). zarrita passes the text on, and a typed array filled
 * with it gets Number("0x7ff8…"): 9.2e18 for a NaN. Here it becomes the number it encodes, or
 * "NaN" / "Infinity" / "-Infinity", which zarrita reads.
 */

const FLOAT_BYTES: Record<string, number> = { float16: 2, float32: 4, float64: 8 };

/** An IEEE 754 half-precision value from its 16 bits. */
function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The float a hex fill value of `bytes` bytes encodes (big-endian, as the v3 spec writes it), or undefined for text that is not one. */
export function hexFloat(text: string, bytes: number): number | undefined {
  if (!new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`).test(text)) return undefined;
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < bytes; i++) view.setUint8(i, Number.parseInt(text.slice(2 + 2 * i, 4 + 2 * i), 16));
  return bytes === 8 ? view.getFloat64(0) : bytes === 4 ? view.getFloat32(0) : float16(view.getUint16(0));
}

/** Rewrite a hex fill value of a float array's metadata in place; true when it changed. */
export function rewriteHexFillValue(meta: { data_type?: unknown; fill_value?: unknown }): boolean {
  const bytes = typeof meta.data_type === "string" ? FLOAT_BYTES[meta.data_type] : undefined;
  if (!bytes || typeof meta.fill_value !== "string") return false;
  const value = hexFloat(meta.fill_value, bytes);
  if (value === undefined) return false;
  meta.fill_value = Number.isNaN(value) ? "NaN" : value === Infinity ? "Infinity" : value === -Infinity ? "-Infinity" : value;
  return true;
}
