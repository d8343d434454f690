import { constants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { DrawscopeError } from "../engine/node.ts";

/** Direct writes' lengths and file offsets are multiples of this: the largest logical block size in use. */
const BLOCK = 4096;
const WASM_PAGE = 65536;
const DEFAULT_STAGE_BYTES = 16 << 20;

/** A file that `--out` writes to, piece by piece. */
export interface OutputFile {
  /** True while its blocks go around the page cache (O_DIRECT). */
  readonly direct: boolean;
  /** Resolves once the piece is copied out: the caller may reuse or drop it. */
  write(piece: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const hasCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/** What the command prints for a failed open or write (a missing folder, a full disk), without a stack. */
const cannotWrite = (path: string, error: unknown) => new DrawscopeError(`cannot write ${path} (${(error as Error).message})`);

/** Whether `path` can take O_DIRECT: a regular file, or nothing yet (not a device or a pipe). */
async function regularOrMissing(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (hasCode(error, "ENOENT")) return true;
    throw error;
  }
}

async function openDirect(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DIRECT, 0o666);
  } catch (error) {
    // The file system does not do direct I/O (tmpfs before Linux 6.6, some FUSE ones).
    if (hasCode(error, "EINVAL")) return undefined;
    throw error;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Pieces are copied into one of two staging buffers and written a whole buffer at a time, the
 * other filling meanwhile. Direct writes skip copying gigabytes into the page cache, which on the
 * bench machine took more CPU than decoding the chunks that made them (bench/stream.bench.ts).
 */
class StagedFile implements OutputFile {
  readonly #path: string;
  #handle: FileHandle;
  #direct: boolean;
  /** Bytes per write but the last; each stage has room to pad its last write to whole blocks. */
  readonly #stageBytes: number;
  readonly #stages: [Uint8Array, Uint8Array];
  #stage = 0;
  #filled = 0;
  /** Where in the file the filling stage starts. */
  #position = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string, handle: FileHandle, direct: boolean, stageBytes: number) {
    this.#path = path;
    this.#handle = handle;
    this.#direct = direct;
    // A WebAssembly memory starts on a page boundary, as O_DIRECT needs of the memory it writes
    // from; ordinary ArrayBuffers come from malloc and do not.
    const pages = Math.ceil(stageBytes / WASM_PAGE);
    const memory = new WebAssembly.Memory({ initial: 2 * pages });
    this.#stageBytes = stageBytes;
    this.#stages = [new Uint8Array(memory.buffer, 0, pages * WASM_PAGE), new Uint8Array(memory.buffer, pages * WASM_PAGE, pages * WASM_PAGE)];
  }

  get direct(): boolean {
    return this.#direct;
  }

  async write(piece: string | Uint8Array): Promise<void> {
    const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, this.#stageBytes - this.#filled);
      this.#stages[this.#stage].set(bytes.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === this.#stageBytes) await this.#flush();
    }
  }

  async close(): Promise<void> {
    const length = this.#position + this.#filled;
    // A direct write's length is whole blocks: the last one is padded, then cut off the file.
    const padded = this.#direct && length % BLOCK !== 0;
    if (padded) {
      const end = Math.ceil(this.#filled / BLOCK) * BLOCK;
      this.#stages[this.#stage].fill(0, this.#filled, end);
      this.#filled = end;
    }
    await this.#flush();
    await this.#writing;
    if (padded) await this.#handle.truncate(length);
    await this.#handle.close();
  }

  /** Start writing the filling stage once the previous write is done; the other stage fills meanwhile. */
  async #flush(): Promise<void> {
    await this.#writing;
    if (this.#filled === 0) return;
    const block = this.#stages[this.#stage].subarray(0, this.#filled);
    this.#writing = this.#writeBlock(block, this.#position);
    // Awaited by the next flush or close; this keeps a failure meanwhile from counting as unhandled.
    this.#writing.catch(() => undefined);
    this.#position += this.#filled;
    this.#stage ^= 1;
    this.#filled = 0;
  }

  async #writeBlock(block: Uint8Array, position: number): Promise<void> {
    try {
      await this.#writeAt(block, position);
    } catch (error) {
      throw cannotWrite(this.#path, error);
    }
  }

  async #writeAt(block: Uint8Array, position: number): Promise<void> {
    if (this.#direct) {
      try {
        await writeAll(this.#handle, block, position);
        return;
      } catch (error) {
        // The file system wants other alignments than these; writing the whole block again is safe.
        if (!hasCode(error, "EINVAL")) throw error;
        await this.#handle.close();
        this.#handle = await open(this.#path, "r+");
        this.#direct = false;
      }
    }
    await writeAll(this.#handle, block, position);
  }
}

/**
 * Create (or truncate) the file at `path` for writing, `stageBytes` at a time. On Linux a regular
 * file is written with O_DIRECT, which needs `stageBytes` to be whole blocks; a device, a pipe, or
 * a file system that refuses a direct open or write gets ordinary writes from then on.
 */
export async function openOutputFile(path: string, stageBytes = DEFAULT_STAGE_BYTES): Promise<OutputFile> {
  try {
    const directHandle = constants.O_DIRECT !== undefined && (await regularOrMissing(path)) ? await openDirect(path) : undefined;
    const handle = directHandle ?? (await open(path, "w"));
    return new StagedFile(path, handle, directHandle !== undefined, stageBytes);
  } catch (error) {
    throw cannotWrite(path, error);
  }
}
