import type { DrawBlock } from "../stats/diagnose-block.ts";
import type { LooBlock } from "../stats/loo.ts";
import type { SummaryBlock } from "../stats/summary-block.ts";

/** Work on a block of elements' draws: their diagnostics, their summaries, or their LOO values. */
export type BlockJob = { kind: "diagnose"; block: DrawBlock } | { kind: "summarize"; block: SummaryBlock } | { kind: "loo"; block: LooBlock };

/**
 * A block job's values, computed here (a pool worker, or the engine's thread without a pool).
 * Each kind's module is loaded on its first job: summary.ts brings apache-arrow, which took a
 * decoding worker (draws streaming a query) 0.4 s of its start for nothing.
 */
export async function computeBlock(job: BlockJob): Promise<Float64Array> {
  switch (job.kind) {
    case "diagnose":
      return (await import("../stats/diagnose-block.ts")).diagnoseBlock(job.block);
    case "summarize":
      return (await import("../stats/summary-block.ts")).summarizeBlock(job.block);
    case "loo":
      return (await import("../stats/loo.ts")).looBlock(job.block);
  }
}

/** What a failed job of each kind could not do, for its error. */
export const BLOCK_WORK = { diagnose: "compute diagnostics", summarize: "summarise draws", loo: "compute PSIS-LOO" } as const;
