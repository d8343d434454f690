import { ChunkDecoder, ownBuffer, transferables, type DecodedChunk, type DecodeJob } from "../decode/job.ts";
import { giveBuffer } from "../decode/spare-buffers.ts";
import { BULK_FETCH, fetchBytes } from "../store/fetch-body.ts";
import { BLOCK_WORK, computeBlock } from "./block-job.ts";
import type { FetchJob, WorkReply, WorkRequest } from "./pool.ts";

/** The body of a pool worker on any platform: answer each request, reply with moved buffers. */
export function serveWork(listen: (handler: (request: WorkRequest) => void) => void, reply: (message: WorkReply, transfer: ArrayBuffer[]) => void): void {
  const decoder = new ChunkDecoder();
  /** Fetches under way, to stop when their chunk is no longer wanted. */
  const fetches = new Map<number, AbortController>();

  async function decodeInto(id: number, job: DecodeJob): Promise<DecodedChunk | undefined> {
    try {
      return ownBuffer(await decoder.decode(job));
    } catch (error) {
      reply({ id, error: `cannot decode chunk ${job.coords.join(".")} of ${job.where}: ${(error as Error).message}` }, []);
      return undefined;
    }
  }

  async function fetchAndDecode(id: number, job: FetchJob): Promise<void> {
    const controller = new AbortController();
    fetches.set(id, controller);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await fetchBytes(job.url, { ...BULK_FETCH, signal: controller.signal }, job.maxBytes);
    } catch (error) {
      reply({ id, error: `cannot read chunk ${job.coords.join(".")} of ${job.where}: ${(error as Error).message}` }, []);
      return;
    } finally {
      fetches.delete(id);
    }
    if (!bytes) return reply({ id, missing: true }, []);
    const chunk = await decodeInto(id, { ...job, bytes });
    if (!chunk) return;
    const moved = transferables(chunk);
    const stored = bytes.buffer as ArrayBuffer;
    // Small stored bytes go back for the store to keep; others stay here, to read the next body into.
    if (bytes.byteLength <= job.keepBelow && !moved.includes(stored)) return reply({ id, chunk, storedBytes: bytes.byteLength, keep: bytes }, [...moved, stored]);
    if (!moved.includes(stored)) giveBuffer(stored);
    reply({ id, chunk, storedBytes: bytes.byteLength }, moved);
  }

  listen(async (request) => {
    const { id } = request;
    if ("cancel" in request) return fetches.get(id)?.abort();
    if ("block" in request) {
      const { draws } = request.block.block;
      try {
        const values = await computeBlock(request.block);
        // The draws' buffer goes back too, for the pool to reuse.
        reply({ id, values, draws }, [values.buffer as ArrayBuffer, draws.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ id, error: `cannot ${BLOCK_WORK[request.block.kind]}: ${(error as Error).message}` }, []);
      }
      return;
    }
    if (request.spare) giveBuffer(request.spare);
    if ("fetch" in request) return fetchAndDecode(id, request.fetch);
    const { job, giveBack } = request;
    const chunk = await decodeInto(id, job);
    if (!chunk) return;
    const moved = transferables(chunk);
    // A response body's buffer goes back when asked, unless the chunk's values are a view of it (stored as is).
    const stored = job.bytes.buffer as ArrayBuffer;
    if (!giveBack || moved.includes(stored)) reply({ id, chunk }, moved);
    else reply({ id, chunk, stored }, [...moved, stored]);
  });
}
