import type { Table } from "apache-arrow";

/** A cell as text, and its exact value for the tooltip when the text rounds it. */
export function cellText(value: unknown): { text: string; exact?: string } {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return { text: String(value) };
    if (Number.isNaN(value)) return { text: "NaN" };
    return { text: Number(value.toPrecision(6)).toString(), exact: String(value) };
  }
  if (typeof value === "bigint") return { text: value.toString() };
  return { text: String(value) };
}

/** Rows fetched from the worker this many at a time, and kept for this many pages. */
export const PAGE_ROWS = 100;
const KEPT_PAGES = 8;

/**
 * The table's rows as the panel scrolls: fetched from the worker a page at a time, the last few
 * pages kept, so scrolling back and forth does not ask again and the page never holds the table.
 */
export class RowPages {
  readonly #pages = new Map<number, Promise<Table>>();
  constructor(
    readonly numRows: number,
    first: Table,
    readonly fetch: (offset: number, count: number) => Promise<Table>,
  ) {
    if (first.numRows >= Math.min(PAGE_ROWS, numRows)) this.#pages.set(0, Promise.resolve(first.slice(0, PAGE_ROWS)));
  }

  /** Row `row`'s page: its table and the row's index in it. */
  async #page(index: number): Promise<Table> {
    let page = this.#pages.get(index);
    if (!page) {
      page = this.fetch(index * PAGE_ROWS, PAGE_ROWS);
      this.#pages.set(index, page);
      // A failed fetch is not kept: scrolling there again asks again.
      page.catch(() => this.#pages.delete(index));
      for (const key of this.#pages.keys()) if (this.#pages.size > KEPT_PAGES && key !== index) this.#pages.delete(key);
    } else {
      // Most recently used last.
      this.#pages.delete(index);
      this.#pages.set(index, page);
    }
    return page;
  }

  /** Rows `from` (inclusive) to `to` (exclusive), each as its column values. */
  async rows(from: number, to: number): Promise<unknown[][]> {
    const end = Math.min(to, this.numRows);
    const out: unknown[][] = [];
    for (let index = Math.floor(from / PAGE_ROWS); index * PAGE_ROWS < end; index++) {
      const page = await this.#page(index);
      const vectors = page.schema.fields.map((f) => page.getChild(f.name)!);
      const start = Math.max(from, index * PAGE_ROWS);
      const stop = Math.min(end, (index + 1) * PAGE_ROWS);
      for (let r = start; r < stop; r++) out.push(vectors.map((v) => v.get(r - index * PAGE_ROWS)));
    }
    return out;
  }
}
