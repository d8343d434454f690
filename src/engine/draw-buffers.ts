import { MEMORY_BOUND } from "./diagnose-blocks.ts";

/**
 * Buffers of blocks' draws kept from one computation (diagnostics, summaries, PSIS-LOO) for the
 * next. A new buffer's pages are touched for the first time when its draws are written, which can
 * cost more than writing them: on the bench machine (a VM) 80 MB took 220 ms the first time and
 * 1 ms the second. Computations in a row (the variables of a scope, the models of a comparison, a
 * query run again) mostly cut their blocks alike, so they find the buffers they need here.
 *
 * A computation that reads blocks first says which lengths it takes at its start and how many
 * (keepOnly): the rest is dropped before it allocates, so keeping adds nothing to what it holds.
 * Other work that allocates much (an expression's blocks, a query's table) drops them all first
 * (dropKeptDraws). At most KEEP_BYTES are kept, and none once IDLE_MS have passed since the last
 * computation ended.
 */
const KEEP_BYTES = MEMORY_BOUND;
const IDLE_MS = 15_000;

const kept = new Map<number, Float64Array[]>();
let keptBytes = 0;
let idle: ReturnType<typeof setTimeout> | undefined;

/** Drop every kept buffer, for work about to allocate its own. */
export function dropKeptDraws(): void {
  kept.clear();
  keptBytes = 0;
}

/** A buffer of `length` values: a kept one of that length when there is one (its values stale), else a new one. */
export function takeDraws(length: number): Float64Array {
  const list = kept.get(length);
  const buffer = list?.pop();
  if (!buffer) return new Float64Array(length);
  keptBytes -= buffer.byteLength;
  if (!list!.length) kept.delete(length);
  return buffer;
}

/** Drop the kept buffers a computation will not take: beyond `takes.get(length)` of each length. */
export function keepOnly(takes: ReadonlyMap<number, number>): void {
  for (const [length, list] of kept) {
    const wanted = takes.get(length) ?? 0;
    for (const buffer of list.splice(wanted)) keptBytes -= buffer.byteLength;
    if (!list.length) kept.delete(length);
  }
}

/**
 * Keep the buffers of a computation that has ended, for the next. A buffer that moved to a worker
 * and was not given back (its job was cancelled or failed) is empty, and not kept.
 */
export function keepDraws(buffers: Iterable<Float64Array>): void {
  for (const buffer of buffers) {
    if (buffer.length === 0 || keptBytes + buffer.byteLength > KEEP_BYTES) continue;
    const list = kept.get(buffer.length) ?? [];
    if (list.includes(buffer)) continue;
    list.push(buffer);
    kept.set(buffer.length, list);
    keptBytes += buffer.byteLength;
  }
  clearTimeout(idle);
  idle = setTimeout(dropKeptDraws, IDLE_MS);
  // In Node, kept buffers are no reason to stay alive.
  (idle as { unref?: () => void }).unref?.();
}

/** Bytes kept now (for tests). */
export const keptDrawBytes = () => keptBytes;
