import { registry } from "zarrita";
import { chunkBytes, type ChunkMeta } from "./chunk-bound.ts";
import { isDrawscopeError } from "../errors.ts";
import { CorruptChunkError } from "./lz4-block.ts";
import { inflate } from "./inflate.ts";
import { readAtMost } from "./read-at-most.ts";

type Format = "gzip" | "deflate";

/**
 * zarrita's gzip and zlib codecs (the platform's DecompressionStream), inflating into a buffer of
 * the chunk's size and stopping as soon as the stream gives more: a few bytes that inflate to
 * gigabytes are cut off, not gathered. Chunks of variable-length strings, whose size the metadata
 * does not bound, are inflated whole as before.
 */
function deflateCodec(format: Format, name: string) {
  return class DeflateCodec {
    readonly kind = "bytes_to_bytes";

    constructor(private readonly bound: number | undefined) {}

    static fromConfig(_config: unknown, meta?: ChunkMeta): DeflateCodec {
      return new DeflateCodec(chunkBytes(meta));
    }

    async decode(bytes: Uint8Array): Promise<Uint8Array> {
      const inflating = inflate(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), format, this.bound ?? Infinity);
      try {
        if (this.bound === undefined) return new Uint8Array(await new Response(inflating).arrayBuffer());
        const bound = this.bound;
        return await readAtMost(
          inflating,
          bound,
          () => new CorruptChunkError(`a ${name} chunk inflates past the ${bound.toLocaleString("en-US")} bytes its shape and type take: the chunk is damaged`),
        );
      } catch (cause) {
        if (isDrawscopeError(cause, "corrupt-chunk")) throw cause;
        throw new CorruptChunkError(`a ${name} chunk does not inflate (${(cause as Error).message}): the chunk is damaged`);
      }
    }

    encode(): never {
      throw new Error(`drawscope does not write ${name} chunks`);
    }
  };
}

/** Make zarrita decode gzip and zlib (v3 and v2 names) with bounded codecs; run once by every thread that decodes. */
export function registerDeflateCodecs(): void {
  const gzip = deflateCodec("gzip", "gzip");
  const zlib = deflateCodec("deflate", "zlib");
  for (const name of ["gzip", "numcodecs.gzip"]) registry.set(name, () => gzip as never);
  for (const name of ["zlib", "numcodecs.zlib"]) registry.set(name, () => zlib as never);
}
