import { CmdStanError } from "../errors.ts";
import type { TraceStore } from "../store/types.ts";
import { ChainParser, type ParsedChain } from "./chain-parser.ts";
import { firstDifference } from "./columns.ts";
import type { CsvFile } from "./csv-file.ts";
import { lineBlocks } from "./line-blocks.ts";
import { cmdstanZarr } from "./zarr-store.ts";

/** How far reading a run's CSV files has got. */
export interface ParseProgress {
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
  /** The files' total size, when every size is known. */
  bytesTotal?: number;
}

export interface CmdStanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ParseProgress) => void;
}

const SAME_RUN = "Open the CSV files of one run together: the chains must have the same columns";
const EQUAL_CHAINS = "A run stopped early leaves shorter files: open the chains that finished (leave the short ones out), or run the sampler again";

/** Chains in the order their names number them (output_2.csv before output_10.csv). */
const byName = (a: CsvFile, b: CsvFile) => a.name.localeCompare(b.name, "en", { numeric: true });

async function parseChain(file: CsvFile, options: CmdStanOptions, onBytes: (n: number) => void): Promise<ParsedChain> {
  const parser = new ChainParser(file.name);
  for await (const block of lineBlocks(file.chunks())) {
    options.signal?.throwIfAborted();
    parser.push(block);
    onBytes(block.length);
  }
  return parser.finish();
}

/** The chains' common warmup and draw counts; a CmdStanError when they are not one run's chains of equal length. */
function runShape(chains: readonly ParsedChain[]): { warmup: number; draws: number } {
  const [first] = chains;
  for (const chain of chains) {
    const at = firstDifference(first.header, chain.header);
    if (at >= 0) {
      const theirs = (header: string[]) => (at < header.length ? `'${header[at]}'` : "nothing");
      throw new CmdStanError(
        "header-mismatch",
        { file: chain.file, line: chain.headerLine },
        `the header differs from ${first.file}'s at column ${at + 1}: ${theirs(chain.header)} where ${first.file} has ${theirs(first.header)}`,
        SAME_RUN,
      );
    }
  }
  const shapes = chains.map((chain) => {
    const warmup = Math.min(chain.comments.warmup, chain.rows);
    return { warmup, draws: chain.rows - warmup };
  });
  const odd = shapes.findIndex((s) => s.draws !== shapes[0].draws || s.warmup !== shapes[0].warmup);
  if (odd >= 0) {
    const described = (k: number) => `${chains[k].file} has ${shapes[k].draws} draws${shapes[k].warmup || shapes[0].warmup ? ` after ${shapes[k].warmup} warmup draws` : ""}`;
    throw new CmdStanError("unequal-chains", { file: chains[odd].file }, `the chains have different lengths: ${described(odd)}, ${described(0)}`, EQUAL_CHAINS);
  }
  if (shapes[0].draws === 0 && shapes[0].warmup === 0) {
    throw new CmdStanError("no-draws", { file: first.file }, "the file has a header but no draws", "Open the output of a run that has written draws");
  }
  return shapes[0];
}

/**
 * Read CmdStan's CSV files, one per chain, into a store the engine opens like any trace. Files
 * are read one after another as streams of lines: memory is the draws' values, not the text.
 */
export async function openCmdStan(files: readonly CsvFile[], label: string, options: CmdStanOptions = {}): Promise<TraceStore> {
  const ordered = [...files].sort(byName);
  const sizes = ordered.map((f) => f.size);
  const bytesTotal = sizes.every((s) => s !== undefined) ? sizes.reduce((a: number, b) => a + b, 0) : undefined;
  const progress: ParseProgress = { filesDone: 0, filesTotal: ordered.length, bytesRead: 0, bytesTotal };
  const chains: ParsedChain[] = [];
  for (const file of ordered) {
    chains.push(
      await parseChain(file, options, (n) => {
        progress.bytesRead += n;
        options.onProgress?.({ ...progress });
      }),
    );
    progress.filesDone++;
  }
  options.onProgress?.({ ...progress });
  const { warmup, draws } = runShape(chains);
  return cmdstanZarr(chains, warmup, draws, label);
}
