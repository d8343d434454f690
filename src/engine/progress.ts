import type { ReadProgress, ZarrArray } from "./read.ts";

/** How far an extraction has got: arrays fully read, chunks read, and stored bytes read. */
export interface ExtractProgress {
  arraysDone: number;
  arraysTotal: number;
  chunksDone: number;
  chunksTotal: number;
  bytesRead: number;
}

/** Counts the chunks of a known set of arrays as they are read, and reports after each one. */
export class ProgressCounter implements ReadProgress {
  readonly #remaining = new Map<ZarrArray, number>();
  readonly #state: ExtractProgress;

  /** `reads`: each array with the number of chunk reads planned from it (an array read twice counts twice). */
  constructor(
    reads: Iterable<readonly [ZarrArray, number]>,
    private readonly report: (progress: ExtractProgress) => void,
  ) {
    let chunksTotal = 0;
    for (const [array, chunks] of reads) {
      this.#remaining.set(array, (this.#remaining.get(array) ?? 0) + chunks);
      chunksTotal += chunks;
    }
    const arraysDone = [...this.#remaining.values()].filter((n) => n === 0).length;
    this.#state = { arraysDone, arraysTotal: this.#remaining.size, chunksDone: 0, chunksTotal, bytesRead: 0 };
    report({ ...this.#state });
  }

  chunkRead(array: ZarrArray, bytes: number): void {
    const left = (this.#remaining.get(array) ?? 1) - 1;
    this.#remaining.set(array, left);
    if (left === 0) this.#state.arraysDone++;
    this.#state.chunksDone++;
    this.#state.bytesRead += bytes;
    this.report({ ...this.#state });
  }
}
