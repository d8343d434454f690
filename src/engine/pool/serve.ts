import { ChunkDecoder, ownBuffer, transferables } from "../decode/job.ts";
import { giveBuffer } from "../decode/spare-buffers.ts";
import type { WorkReply, WorkRequest } from "./pool.ts";

// Loaded on a worker's first such request: summary.ts brings apache-arrow, which took a decoding
// worker (draws streaming a query) 0.4 s of its start for nothing.
const diagnosing = () => import("../stats/diagnose-block.ts");
const summarising = () => import("../stats/summary-block.ts");

/** The body of a pool worker on any platform: answer each request, reply with moved buffers. */
export function serveWork(listen: (handler: (request: WorkRequest) => void) => void, reply: (message: WorkReply, transfer: ArrayBuffer[]) => void): void {
  const decoder = new ChunkDecoder();
  listen(async (request) => {
    const { id } = request;
    if ("diagnose" in request || "summarize" in request) {
      const diagnose = "diagnose" in request;
      const { draws } = diagnose ? request.diagnose : request.summarize;
      try {
        const values = diagnose ? (await diagnosing()).diagnoseBlock(request.diagnose) : (await summarising()).summarizeBlock(request.summarize);
        // The draws' buffer goes back too, for the pool to reuse.
        reply(diagnose ? { id, diagnostics: values, draws } : { id, summaries: values, draws }, [values.buffer as ArrayBuffer, draws.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ id, error: `cannot ${diagnose ? "compute diagnostics" : "summarise draws"}: ${(error as Error).message}` }, []);
      }
      return;
    }
    const { job, spare } = request;
    if (spare) giveBuffer(spare);
    try {
      const chunk = ownBuffer(await decoder.decode(job));
      const moved = transferables(chunk);
      // The stored bytes' buffer goes back too, unless the chunk's values are a view of it (stored as is).
      const stored = job.bytes.buffer as ArrayBuffer;
      if (moved.includes(stored)) reply({ id, chunk }, moved);
      else reply({ id, chunk, stored }, [...moved, stored]);
    } catch (error) {
      reply({ id, error: `cannot decode chunk ${job.coords.join(".")} of ${job.where}: ${(error as Error).message}` }, []);
    }
  });
}
