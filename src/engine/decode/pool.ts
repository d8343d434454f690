import { StoreError } from "../errors.ts";
import { exclusive, type DecodedChunk, type DecodeJob } from "./job.ts";

/** The messages between a pool and its decode workers. */
export type DecodeRequest = { id: number; job: DecodeJob };
export type DecodeReply = { id: number; chunk: DecodedChunk } | { id: number; error: string };

/**
 * A decode worker as the pool sees it, whatever the platform (Node worker_threads, Web Workers).
 * `busy(true)` is called when it gets work and `busy(false)` when it has none, so a Node worker
 * can keep the process alive only while it is needed.
 */
export interface DecodePort {
  post(request: DecodeRequest, transfer: ArrayBuffer[]): void;
  onReply(handler: (reply: DecodeReply) => void): void;
  /** The worker died (failed to load, crashed): its jobs will never be answered. */
  onFailure(handler: (message: string) => void): void;
  busy(active: boolean): void;
  terminate(): void;
}

interface Pending {
  resolve: (chunk: DecodedChunk) => void;
  reject: (error: Error) => void;
  port: number;
}

/**
 * Spreads chunk decoding over up to `size` workers, each job to the least loaded one. Workers
 * start on first need, so a trace whose chunks are all small never starts one.
 */
export class DecodePool {
  readonly #spawn: () => DecodePort;
  readonly #size: number;
  readonly #ports: DecodePort[] = [];
  readonly #load: number[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(spawn: () => DecodePort, size: number) {
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
      if ("error" in reply) waiter.reject(new StoreError(reply.error));
      else waiter.resolve(reply.chunk);
    });
    port.onFailure((message) => this.#fail(index, message));
    return index;
  }

  /** A dead worker: reject its jobs, and give it no more (its load never again looks lowest). */
  #fail(index: number, message: string): void {
    for (const [id, waiter] of this.#pending) {
      if (waiter.port !== index) continue;
      this.#pending.delete(id);
      waiter.reject(new StoreError(`a decode worker failed: ${message}`));
    }
    this.#ports[index].busy(false);
    this.#load[index] = Infinity;
  }

  #pick(): number {
    const least = Math.min(...this.#load);
    if (least > 0 && this.#ports.length < this.#size) return this.#start();
    return this.#load.indexOf(least);
  }

  decode(job: DecodeJob): Promise<DecodedChunk> {
    const index = this.#pick();
    if (this.#load[index] === Infinity) return Promise.reject(new StoreError("every decode worker has failed"));
    const id = this.#nextId++;
    if (this.#load[index]++ === 0) this.#ports[index].busy(true);
    // The chunk's bytes move to the worker; copied first only when they share a buffer with other data.
    const bytes = exclusive(job.bytes);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, port: index });
      this.#ports[index].post({ id, job: { ...job, bytes } }, [bytes.buffer as ArrayBuffer]);
    });
  }

  terminate(): void {
    for (const port of this.#ports) port.terminate();
    for (const waiter of this.#pending.values()) waiter.reject(new StoreError("decoding stopped: the trace was closed"));
    this.#pending.clear();
  }
}
