import { ChunkDecoder, ownBuffer, transferables } from "../decode/job.ts";
import { diagnoseBlock } from "../stats/diagnose-block.ts";
import { summarizeBlock } from "../stats/summary-block.ts";
import type { WorkReply, WorkRequest } from "./pool.ts";

/** The body of a pool worker on any platform: answer each request, reply with moved buffers. */
export function serveWork(listen: (handler: (request: WorkRequest) => void) => void, reply: (message: WorkReply, transfer: ArrayBuffer[]) => void): void {
  const decoder = new ChunkDecoder();
  listen(async (request) => {
    const { id } = request;
    if ("diagnose" in request) {
      try {
        const diagnostics = diagnoseBlock(request.diagnose);
        reply({ id, diagnostics }, [diagnostics.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ id, error: `cannot compute diagnostics: ${(error as Error).message}` }, []);
      }
      return;
    }
    if ("summarize" in request) {
      try {
        const summaries = summarizeBlock(request.summarize);
        reply({ id, summaries }, [summaries.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ id, error: `cannot summarise draws: ${(error as Error).message}` }, []);
      }
      return;
    }
    const { job } = request;
    try {
      const chunk = ownBuffer(await decoder.decode(job));
      reply({ id, chunk }, transferables(chunk));
    } catch (error) {
      reply({ id, error: `cannot decode chunk ${job.coords.join(".")} of ${job.where}: ${(error as Error).message}` }, []);
    }
  });
}
