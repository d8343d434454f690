import type { Table } from "apache-arrow";
import { joinDraws, type ExtractOptions } from "./extract.ts";
import type { TraceStore } from "./store/types.ts";
import { openTree, type OpenedTree, type TraceTree } from "./tree.ts";

/** An opened ArviZ trace: its structure, and tidy extraction of specs from it. */
export interface Trace {
  readonly tree: TraceTree;
  extract(query: string | readonly string[], options?: ExtractOptions): Promise<Table>;
}

export async function openTrace(store: TraceStore): Promise<Trace> {
  const opened: OpenedTree = await openTree(store);
  return {
    tree: opened.tree,
    extract: (query, options) => joinDraws(opened, query, options),
  };
}
