import type { SlabDraws } from "./block-draws.ts";
import { computeBlock, type BlockJob } from "./pool/block-job.ts";
import type { WorkPool } from "./pool/pool.ts";

/**
 * A job on each slab of a block: on the pool, where the slab's buffer moves to a worker and back
 * (into `slab.draws`, for a later block); or on this thread, each job a task of its own so that a
 * cancel can arrive between them. `report` gets each slab with its values.
 */
export async function runSlabJobs(
  slabs: readonly SlabDraws[],
  jobOf: (slab: SlabDraws) => BlockJob,
  options: { pool?: WorkPool; signal?: AbortSignal },
  report: (slab: SlabDraws, values: Float64Array) => void,
): Promise<void> {
  const { pool, signal } = options;
  let failure: unknown;
  await Promise.all(
    slabs.map(async (slab) => {
      signal?.throwIfAborted();
      const job = jobOf(slab);
      let values: Float64Array;
      try {
        if (pool) ({ values, draws: slab.draws } = await pool.block(job));
        // A job still waiting once the work is cancelled or another job failed does not run: the
        // block's buffers may be another computation's by then (draw-buffers.ts).
        else
          values = await new Promise<Float64Array>((resolve, reject) =>
            setTimeout(() => (signal?.aborted || failure !== undefined ? reject(signal?.reason ?? failure) : computeBlock(job).then(resolve, reject))),
          );
      } catch (error) {
        failure ??= error;
        throw error;
      }
      signal?.throwIfAborted();
      report(slab, values);
    }),
  );
}
