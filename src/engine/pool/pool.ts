import { DrawscopeError, StoreError } from "../errors.ts";
import { exclusive, type DecodedChunk, type DecodeJob } from "../decode/job.ts";
import { giveBuffer, isLent } from "../decode/spare-buffers.ts";
import type { BlockJob } from "./block-job.ts";

/**
 * A chunk for a worker to fetch itself and decode: the decode job without its bytes, where they are,
 * and the largest stored chunk the store keeps (those come back with the answer to be kept).
 */
/** A chunk for a worker to fetch and decode: at `url`, at most `maxBytes` as stored, kept by the store below `keepBelow`. */
export type FetchJob = Omit<DecodeJob, "bytes"> & { url: string; keepBelow: number; maxBytes?: number };

/** A chunk a worker fetched and decoded: its values, its stored size, and its stored bytes when the store keeps chunks that small. */
export interface FetchedChunk {
  chunk: DecodedChunk;
  storedBytes: number;
  keep?: Uint8Array;
}

/**
 * The messages between a pool and its workers: decode a chunk (or fetch and decode it), diagnose a
 * block of scalars, or summarise one; and stop fetching a chunk no longer wanted.
 */
export type WorkRequest =
  /**
   * `spare`: a buffer of a chunk decoded earlier and since copied from, to decode a later chunk into;
   * `giveBack`: send the stored bytes' buffer back (a response body's, to read the next into).
   */
  { id: number; job: DecodeJob; spare?: ArrayBuffer; giveBack?: boolean } | { id: number; fetch: FetchJob; spare?: ArrayBuffer } | { id: number; cancel: true } | { id: number; block: BlockJob };
export type WorkReply =
  /** `stored`: the buffer the chunk's stored bytes came in, given back to read another into. */
  | { id: number; chunk: DecodedChunk; stored?: ArrayBuffer }
  | ({ id: number } & FetchedChunk)
  /** A fetched chunk the store does not have (the writer left it out: it is all fill value). */
  | { id: number; missing: true }
  /** A block job's values, and the buffer its draws went in, given back. */
  | { id: number; values: Float64Array; draws: Float64Array }
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
  /** Buffers of the chunks this pool decoded, while their caller holds them; and those given back (`recycle`). */
  readonly #decoded = new WeakSet<ArrayBuffer>();
  readonly #recycled: ArrayBuffer[] = [];

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

  /**
   * Send a job to the least loaded worker. When `signal` aborts, the job's promise rejects at once and
   * the worker is told to stop; its answer, when it comes, frees the worker and goes to nobody.
   */
  #submit(body: Omit<WorkRequest, "id">, transfer: ArrayBuffer[], failure: Pending["failure"], signal?: AbortSignal): Promise<WorkReply> {
    const index = this.#pick();
    if (this.#load[index] === Infinity) return Promise.reject(failure("every pool worker has failed"));
    const id = this.#nextId++;
    if (this.#load[index]++ === 0) this.#ports[index].busy(true);
    return new Promise((resolve, reject) => {
      const abort = () => {
        pending.resolve = pending.reject = () => undefined;
        this.#ports[index].post({ id, cancel: true }, []);
        reject(signal!.reason);
      };
      const settled =
        <T>(then: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener("abort", abort);
          then(value);
        };
      const pending: Pending = { resolve: settled(resolve), reject: settled(reject), port: index, failure };
      this.#pending.set(id, pending);
      this.#ports[index].post({ ...body, id } as WorkRequest, transfer);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  async decode(job: DecodeJob): Promise<DecodedChunk> {
    // The chunk's bytes move to the worker; copied first only when they share a buffer with other data.
    const bytes = exclusive(job.bytes);
    const spare = this.#recycled.pop();
    const transfer = [bytes.buffer as ArrayBuffer, ...(spare ? [spare] : [])];
    const giveBack = isLent(bytes.buffer);
    const reply = await this.#submit({ job: { ...job, bytes }, ...(spare && { spare }), ...(giveBack && { giveBack }) }, transfer, decodeFailure);
    const { chunk, stored } = reply as { chunk: DecodedChunk; stored?: ArrayBuffer };
    if (stored) giveBuffer(stored);
    if (chunk.values.kind !== "string") this.#decoded.add(chunk.values.data.buffer as ArrayBuffer);
    return chunk;
  }

  /**
   * Have a worker fetch a chunk from its address and decode it, so fetching a big query's bytes is
   * spread over the workers as their decoding is; undefined when the store has no such chunk.
   */
  async fetchDecode(job: FetchJob, signal?: AbortSignal): Promise<FetchedChunk | undefined> {
    signal?.throwIfAborted();
    const spare = this.#recycled.pop();
    const reply = await this.#submit({ fetch: job, ...(spare && { spare }) }, spare ? [spare] : [], (message) => new StoreError(message, job.where), signal);
    if ("missing" in reply) return undefined;
    const fetched = reply as FetchedChunk;
    if (fetched.chunk.values.kind !== "string") this.#decoded.add(fetched.chunk.values.data.buffer as ArrayBuffer);
    return fetched;
  }

  /**
   * A chunk this pool decoded, copied from and no longer needed by the caller: its buffer goes back
   * with a later decode job, to decode into (and true is returned). Anything else (a chunk decoded
   * on this thread, whose values may be a view of stored bytes) is left alone.
   */
  recycle(chunk: DecodedChunk): boolean {
    if (chunk.values.kind === "string") return false;
    const buffer = chunk.values.data.buffer as ArrayBuffer;
    if (!this.#decoded.delete(buffer)) return false;
    if (this.#recycled.length === 2 * this.#size) this.#recycled.shift();
    this.#recycled.push(buffer);
    return true;
  }

  /**
   * A block job's values (per element: DIAGNOSTIC_NAMES.length diagnostics, summaryWidth summaries
   * or LOO_POINTWISE.length LOO values), and the buffer its draws went in, given back. The draws
   * move to the worker (copied first only when they share a buffer with other data).
   */
  async block(job: BlockJob): Promise<{ values: Float64Array; draws: Float64Array }> {
    const draws = exclusive(job.block.draws);
    const request = { block: { ...job, block: { ...job.block, draws } } as BlockJob };
    return (await this.#submit(request, [draws.buffer as ArrayBuffer], diagnoseFailure)) as { values: Float64Array; draws: Float64Array };
  }

  terminate(): void {
    for (const port of this.#ports) port.terminate();
    for (const waiter of this.#pending.values()) waiter.reject(new DrawscopeError("the work stopped: the trace was closed"));
    this.#pending.clear();
  }
}
