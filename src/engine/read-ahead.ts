/**
 * Run `task` over `items` with at most `limit` started and not yet taken, and yield the results in
 * the items' order. Reads run ahead of the consumer by at most `limit` items, so memory holds that
 * many results whatever the number of items. Stopping early (break, an error) lets the tasks in
 * flight finish unobserved.
 */
export async function* readAhead<T, R>(items: Iterable<T>, limit: number, task: (item: T) => Promise<R>): AsyncGenerator<R> {
  const source = items[Symbol.iterator]();
  const window: Promise<R>[] = [];
  const refill = () => {
    while (window.length < limit) {
      const next = source.next();
      if (next.done) return;
      window.push(task(next.value));
    }
  };
  try {
    refill();
    while (window.length > 0) {
      const result = await window[0];
      window.shift();
      refill();
      yield result;
    }
  } finally {
    // Results nobody will take: their failures must not surface as unhandled rejections.
    for (const pending of window) pending.catch(() => undefined);
  }
}
