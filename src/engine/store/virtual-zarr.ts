import type { AbsolutePath, AsyncReadable } from "@zarrita/storage";

/** A chunk's stored bytes (uncompressed, C order, edge chunks padded to the chunk shape), or undefined for one outside the grid. */
export type ChunkReader = (coords: readonly number[]) => Uint8Array | undefined;

/** An array of a virtual store: its dimensions and shape, how it is cut into chunks, and its Zarr v2 dtype. */
export interface VirtualArray {
  dims: readonly string[];
  shape: readonly number[];
  chunks: readonly number[];
  dtype: string;
  attrs?: Record<string, unknown>;
}

/**
 * Something that is not Zarr (CmdStan's CSV files, a netCDF file) presented as the Zarr store
 * ArviZ would write for it (format 2, consolidated, uncompressed), so the engine opens, queries,
 * diagnoses and exports it as any trace. Chunks are made when they are read.
 */
export class VirtualZarr {
  readonly #documents = new Map<string, unknown>([
    [".zgroup", { zarr_format: 2 }],
    [".zattrs", {}],
  ]);
  readonly #readers = new Map<string, ChunkReader>();

  /** A group (`""` is the root) and its attributes. */
  group(path: string, attrs: Record<string, unknown>): void {
    const prefix = path ? `${path}/` : "";
    this.#documents.set(`${prefix}.zgroup`, { zarr_format: 2 });
    this.#documents.set(`${prefix}.zattrs`, attrs);
  }

  array(path: string, array: VirtualArray, read: ChunkReader): void {
    const { dims, shape, chunks, dtype, attrs = {} } = array;
    this.#documents.set(`${path}/.zarray`, { zarr_format: 2, shape, chunks, dtype, compressor: null, filters: null, fill_value: null, order: "C" });
    this.#documents.set(`${path}/.zattrs`, { ...attrs, _ARRAY_DIMENSIONS: dims });
    // A dimensionless array's one chunk is keyed "0" in Zarr v2, which reads as coordinates [0].
    this.#readers.set(path, shape.length ? read : (coords) => (coords.length === 1 && coords[0] === 0 ? read([]) : undefined));
  }

  store(): AsyncReadable {
    const documents = new Map(this.#documents);
    documents.set(".zmetadata", { zarr_consolidated_format: 1, metadata: Object.fromEntries(this.#documents) });
    const encoded = new Map([...documents].map(([key, doc]) => [key, new TextEncoder().encode(JSON.stringify(doc))]));
    const readers = new Map(this.#readers);
    return {
      async get(key: AbsolutePath) {
        const path = key.slice(1);
        // Every read gets bytes of its own: a decoder may move them to a worker.
        const document = encoded.get(path);
        if (document) return document.slice();
        const slash = path.lastIndexOf("/");
        const coords = path
          .slice(slash + 1)
          .split(".")
          .map(Number);
        return readers.get(path.slice(0, slash))?.(coords);
      },
    };
  }
}
