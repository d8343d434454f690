import { registry } from "zarrita";
import { bloscFrame, bloscHeader, checkBloscStreams, decodeBloscFrame, handlesFrame } from "./blosc-frame.ts";
import { checkInflatedSize, chunkBytes, type ChunkMeta } from "./chunk-bound.ts";

type Config = Record<string, unknown>;
type NumcodecsBlosc = { decode(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>; encode(bytes: Uint8Array): Uint8Array | Promise<Uint8Array> };

/** numcodecs' Blosc, loaded when a frame this decoder does not read comes (zstd, zlib, BloscLZ, bit shuffle) or to encode. */
const numcodecsBlosc = async (config: Config): Promise<NumcodecsBlosc> => {
  const { default: Blosc } = await import("numcodecs/blosc");
  return Blosc.fromConfig({ ...config, id: "blosc" } as Parameters<typeof Blosc.fromConfig>[0]);
};

/** zarrita's Blosc codec with LZ4 frames decoded by blosc-frame.ts, everything else by numcodecs as before. */
export class BloscCodec {
  readonly kind = "bytes_to_bytes";
  #numcodecs?: Promise<NumcodecsBlosc>;

  constructor(
    private readonly config: Config,
    /** The bytes a chunk takes decoded: a frame that says it holds more is refused before it is inflated. */
    private readonly bound?: number,
  ) {}

  static fromConfig(config: Config, meta?: ChunkMeta): BloscCodec {
    return new BloscCodec(config, chunkBytes(meta));
  }

  #fallback(): Promise<NumcodecsBlosc> {
    return (this.#numcodecs ??= numcodecsBlosc(this.config));
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    const header = bloscHeader(bytes);
    checkInflatedSize("Blosc", header.nbytes, this.bound);
    if (handlesFrame(header)) return decodeBloscFrame(bytes, header);
    const frame = bloscFrame(bytes, header);
    checkBloscStreams(frame, header);
    return (await this.#fallback()).decode(frame);
  }

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    return (await this.#fallback()).encode(bytes);
  }
}

/** Make zarrita decode Blosc (v3 `blosc`, v2 `numcodecs.blosc`) with BloscCodec; run once by every thread that decodes. */
export function registerBloscCodec(): void {
  for (const name of ["blosc", "numcodecs.blosc"]) registry.set(name, () => BloscCodec as never);
}
