import { DrawscopeError, StoreError } from "../errors.ts";
import { exclusive, type DecodedChunk, type DecodeJob } from "../decode/job.ts";
import type { DrawBlock } from "../stats/diagnose-block.ts";
import type { SummaryBlock } from "../stats/summary-block.ts";

/** The messages between a pool and its workers: decode a chunk, diagnose a block of scalars, or summarise one. */
export type WorkRequest = { id: number; job: DecodeJob } | { id: number; diagnose: DrawBlock } | { id: number; summarize: SummaryBlock };
export type WorkReply =
  | { id: number; chunk: DecodedChunk }
  | { id: number; diagnostics: Float64Array; draws: Float64Array }
  | { id: number; summaries: Float64Array; draws: Float64Array }
  | { id: number; error: string };

/**
 * A pool worker as the pool sees it, whatever the platform (Node worker_threads, Web Workers).
 * `busy(true)` is called when it gets work and `busy(false)` when it has none, so a Node worker
 * can keep the process alive only while it is needed.
 */
export interface WorkPort {
  post(request: WorkRequest, transfer: ArrayBuffer[]): void;
  onReply(handler: (reply: WorkReply) => void): void;
  /** The worker died (failed to load, crashed): its jobs will never be answered. */
  onFailure(handler: (message: string) => void): void;
  busy(active: boolean): void;
  terminate(): void;
}

interface Pending {
  resolve: (reply: WorkReply) => void;
  reject: (error: Error) => void;
  port: number;
  /** Makes the error a failed worker causes: a store error for a chunk, a plain one for a diagnosis. */
  failure: (message: string) => Error;
}

const decodeFailure = (message: string) => new StoreError(message);
const diagnoseFailure = (message: string) => new DrawscopeError(message);

/**
 * Spreads work (chunk decoding, diagnostics) over up to `size` workers, each job to the least
 * loaded one. Workers start on first need, so a trace whose chunks are all small never starts one.
 */
export class WorkPool {
  readonly #spawn: () => WorkPort;
  readonly #size: number;
  readonly #ports: WorkPort[] = [];
  readonly #load: number[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /**
   * Buffers that carried draws to a worker and came back with its answer, for the next job of the
   * same size: a fresh buffer per job costs more (allocating and touching its pages) than copying
   * the draws does. At most a few jobs' worth are kept.
   */
  readonly #spare: Float64Array[] = [];

  constructor(spawn: () => WorkPort, size: number) {
    this.#spawn = spawn;
    this.#size = Math.max(1, size);
  }

  get size(): number {
    return this.#size;
  }

  #start(): number {
    const index = this.#ports.length;
    const port = this.#spawn();
    this.#ports.push(port);
    this.#load.push(0);
    port.onReply((reply) => {
      const waiter = this.#pending.get(reply.id);
      if (!waiter) return;
      this.#pending.delete(reply.id);
      if (--this.#load[index] === 0) port.busy(false);
      if ("error" in reply) waiter.reject(waiter.failure(reply.error));
      else waiter.resolve(reply);
    });
    port.onFailure((message) => this.#fail(index, message));
    return index;
  }

  /** A dead worker: reject its jobs, and give it no more (its load never again looks lowest). */
  #fail(index: number, message: string): void {
    for (const [id, waiter] of this.#pending) {
      if (waiter.port !== index) continue;
      this.#pending.delete(id);
      waiter.reject(waiter.failure(`a pool worker failed: ${message}`));
    }
    this.#ports[index].busy(false);
    this.#load[index] = Infinity;
  }

  #pick(): number {
    const least = Math.min(...this.#load);
    if (least > 0 && this.#ports.length < this.#size) return this.#start();
    return this.#load.indexOf(least);
  }

  #submit(body: Omit<WorkRequest, "id">, transfer: ArrayBuffer[], failure: Pending["failure"]): Promise<WorkReply> {
    const index = this.#pick();
    if (this.#load[index] === Infinity) return Promise.reject(failure("every pool worker has failed"));
    const id = this.#nextId++;
    if (this.#load[index]++ === 0) this.#ports[index].busy(true);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, port: index, failure });
      this.#ports[index].post({ ...body, id } as WorkRequest, transfer);
    });
  }

  async decode(job: DecodeJob): Promise<DecodedChunk> {
    // The chunk's bytes move to the worker; copied first only when they share a buffer with other data.
    const bytes = exclusive(job.bytes);
    const reply = await this.#submit({ job: { ...job, bytes } }, [bytes.buffer as ArrayBuffer], decodeFailure);
    return (reply as { chunk: DecodedChunk }).chunk;
  }

  /** The diagnostics of a block of scalars (DIAGNOSTIC_NAMES.length values each). */
  async diagnose(job: DrawBlock): Promise<Float64Array> {
    return ((await this.#withDraws("diagnose", job)) as { diagnostics: Float64Array }).diagnostics;
  }

  /** The summaries of a block of elements (summaryWidth values each). */
  async summarize(job: SummaryBlock): Promise<Float64Array> {
    return ((await this.#withDraws("summarize", job)) as { summaries: Float64Array }).summaries;
  }

  /** Submit a job on draws: a copy of them goes to the worker, and its buffer comes back with the answer to carry the next job. */
  async #withDraws(kind: "diagnose" | "summarize", job: DrawBlock | SummaryBlock): Promise<WorkReply> {
    const draws = this.#carrier(job.draws);
    const reply = await this.#submit({ [kind]: { ...job, draws } } as Omit<WorkRequest, "id">, [draws.buffer as ArrayBuffer], diagnoseFailure);
    this.#giveBack((reply as { draws: Float64Array }).draws);
    return reply;
  }

  /** A buffer of its own (a spare one of the same size when there is one) holding a copy of `draws`. */
  #carrier(draws: Float64Array): Float64Array {
    const i = this.#spare.findIndex((b) => b.length === draws.length);
    const carrier = i >= 0 ? this.#spare.splice(i, 1)[0] : new Float64Array(draws.length);
    carrier.set(draws);
    return carrier;
  }

  #giveBack(draws: Float64Array): void {
    if (this.#spare.length < 4 * this.#size) this.#spare.push(draws);
  }

  terminate(): void {
    for (const port of this.#ports) port.terminate();
    for (const waiter of this.#pending.values()) waiter.reject(new DrawscopeError("the work stopped: the trace was closed"));
    this.#pending.clear();
  }
}
