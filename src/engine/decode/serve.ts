import { ChunkDecoder, ownBuffer, transferables } from "./job.ts";
import type { DecodeReply, DecodeRequest } from "./pool.ts";

/** The body of a decode worker on any platform: decode each request, reply with moved buffers. */
export function serveDecodes(listen: (handler: (request: DecodeRequest) => void) => void, reply: (message: DecodeReply, transfer: ArrayBuffer[]) => void): void {
  const decoder = new ChunkDecoder();
  listen(async ({ id, job }) => {
    try {
      const chunk = ownBuffer(await decoder.decode(job));
      reply({ id, chunk }, transferables(chunk));
    } catch (error) {
      reply({ id, error: `cannot decode chunk ${job.coords.join(".")} of ${job.where}: ${(error as Error).message}` }, []);
    }
  });
}
