/**
 * Run `task` over `items` with at most `limit` started and not yet taken, and yield the results in
 * the items' order. Reads run ahead of the consumer by at most `limit` items, so memory holds that
 * many results whatever the number of items. Stopping early (break, an error) lets the tasks in
 * flight finish unobserved. A task that fails while the consumer holds an earlier result is marked
 * handled at once (its error still comes when its turn is awaited): Node would otherwise end the
 * process for a rejection left unhandled that long.
 */
export async function* readAhead<T, R>(items: Iterable<T>, limit: number, task: (item: T) => Promise<R>): AsyncGenerator<R> {
  const source = items[Symbol.iterator]();
  const window: Promise<R>[] = [];
  const refill = () => {
    while (window.length < limit) {
      const next = source.next();
      if (next.done) return;
      const result = task(next.value);
      result.catch(() => undefined);
      window.push(result);
    }
  };
  refill();
  while (window.length > 0) {
    const result = await window[0];
    window.shift();
    refill();
    yield result;
  }
}
