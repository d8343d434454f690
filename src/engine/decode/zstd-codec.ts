import { registry } from "zarrita";
import { checkInflatedSize, chunkBytes, type ChunkMeta } from "./chunk-bound.ts";

type Config = Record<string, unknown>;
type NumcodecsZstd = { decode(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>; encode(bytes: Uint8Array): Uint8Array | Promise<Uint8Array> };

const MAGIC = 0xfd2fb528;

/** The content size a zstd frame's header declares, or undefined when it declares none (RFC 8878, 3.1.1.1). */
function zstdContentSize(frame: Uint8Array): number | undefined {
  if (frame.length < 6) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return undefined;
  const descriptor = frame[4];
  const singleSegment = (descriptor >> 5) & 1;
  const fcsFlag = descriptor >> 6;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  const size = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
  if (size === 0 || at + size > frame.length) return undefined;
  if (size === 1) return frame[at];
  if (size === 2) return view.getUint16(at, true) + 256;
  if (size === 4) return view.getUint32(at, true);
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

/** zarrita's zstd codec (numcodecs'), refusing a frame that declares more than its chunk takes before inflating it. */
export class ZstdCodec {
  readonly kind = "bytes_to_bytes";
  #numcodecs?: Promise<NumcodecsZstd>;

  constructor(
    private readonly config: Config,
    private readonly bound: number | undefined,
  ) {}

  static fromConfig(config: Config, meta?: ChunkMeta): ZstdCodec {
    return new ZstdCodec(config, chunkBytes(meta));
  }

  #inner(): Promise<NumcodecsZstd> {
    return (this.#numcodecs ??= import("numcodecs/zstd").then(({ default: Zstd }) => Zstd.fromConfig({ ...this.config, id: "zstd" } as Parameters<typeof Zstd.fromConfig>[0])));
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    const declared = zstdContentSize(bytes);
    if (declared !== undefined) checkInflatedSize("zstd", declared, this.bound);
    return (await this.#inner()).decode(bytes);
  }

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    return (await this.#inner()).encode(bytes);
  }
}

/** Make zarrita decode zstd (v3 `zstd`, v2 `numcodecs.zstd`) with ZstdCodec; run once by every thread that decodes. */
export function registerZstdCodec(): void {
  for (const name of ["zstd", "numcodecs.zstd"]) registry.set(name, () => ZstdCodec as never);
}
