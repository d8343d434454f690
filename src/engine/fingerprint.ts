import type { TraceTree } from "./trace-tree.ts";

/**
 * A short, stable identity of a trace's structure: its groups, their variables with dimensions
 * and shapes, and dimension sizes. Storage details (Zarr format, codecs, chunking, dtypes as
 * written) are left out, so the same trace as a v2 folder, a v3 folder or a zip matches.
 */
export function traceFingerprint(tree: TraceTree): string {
  const text = [...tree.groups]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((g) => {
      const variables = g.variables.map((v) => `${v.name}(${v.dims.map((d, i) => `${d}=${v.shape[i]}`).join(",")})`).sort();
      return `${g.name}:${variables.join(";")}`;
    })
    .join("|");
  return hash64(text);
}

/** FNV-1a over UTF-16 code units in two independent 32-bit lanes: 16 hex digits. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  return hex(a) + hex(b);
}
