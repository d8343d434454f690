import type { Table } from "apache-arrow";
import { diagnoseScope, type DiagnoseOptions, type DiagnosticsScope } from "./diagnose.ts";
import { looOf, type LooOptions, type LooResult } from "./loo.ts";
import type { WorkPool } from "./pool/pool.ts";
import { joinDraws, type ExtractOptions } from "./extract.ts";
import { queryElements, type ElementSource } from "./query-elements.ts";
import { streamDraws, type DrawBatches, type StreamOptions } from "./stream.ts";
import type { RemoteChunks, TraceStore } from "./store/types.ts";
import { openTree, type OpenedTree } from "./tree.ts";
import type { TraceTree } from "./trace-tree.ts";

/** An opened ArviZ trace: its structure, and tidy extraction of specs from it. */
export interface Trace {
  readonly tree: TraceTree;
  extract(query: string | readonly string[], options?: ExtractOptions): Promise<Table>;
  /**
   * The same table as record batches, read as they are iterated, for queries too big to hold:
   * memory stays a few chunks and batches. A bad query throws here, before anything is read.
   */
  stream(query: string | readonly string[], options?: StreamOptions): DrawBatches;
  /** A query's elements read chunk by chunk, for per-element summaries of a query too big to hold. */
  elements(query: string, options?: { groups?: readonly string[] }): ElementSource;
  /** Diagnostics of every element of a scope, block by block; resolves to the number of elements. */
  diagnose(scope: DiagnosticsScope, options: Omit<DiagnoseOptions, "pool">): Promise<number>;
  /** PSIS-LOO of a log-likelihood variable, streamed over its observations. */
  loo(options?: LooOptions): Promise<LooResult>;
}

export interface OpenOptions {
  /** Workers to decode large chunks on (one per core is best); without, decoding is in-thread. */
  pool?: WorkPool;
  /** Where those workers fetch large chunks themselves: the store's own (RemoteChunks) unless given, as for a store wrapped in another. */
  remote?: RemoteChunks;
}

export async function openTrace(store: TraceStore, options: OpenOptions = {}): Promise<Trace> {
  const opened: OpenedTree = await openTree(store, options.pool, options.remote);
  return {
    tree: opened.tree,
    extract: (query, options) => joinDraws(opened, query, options),
    stream: (query, options) => streamDraws(opened, query, options),
    elements: (query, options = {}) => queryElements(opened, query, options.groups ?? ["posterior"]),
    diagnose: (scope, options) => diagnoseScope(opened, scope, { ...options, pool: opened.pool }),
    loo: (options = {}) => looOf(opened, { ...options, pool: opened.pool }),
  };
}
