import type { Table } from "apache-arrow";
import { numberBatches } from "../engine/columns.ts";
import { DIAGNOSTIC_NAMES, type DiagnosticName } from "../engine/stats/diagnostics.ts";

/**
 * The rows of a diagnostics table as they stream in from the worker, kept column by column
 * (typed arrays for the numbers) so 100,000 rows sort and filter without row objects. Rows are
 * kept in arrival order; `index` gives each row's place in the scope.
 */
export class DiagnosticsRows {
  #length = 0;
  #index = new Int32Array(1024);
  #stats = DIAGNOSTIC_NAMES.map(() => new Float64Array(1024));
  readonly #group: string[] = [];
  readonly #variable: string[] = [];
  readonly #element: string[] = [];
  readonly #spec: string[] = [];
  #longestElement = 0;

  get length(): number {
    return this.#length;
  }

  #reserve(extra: number): void {
    const need = this.#length + extra;
    if (need <= this.#index.length) return;
    const size = Math.max(need, this.#index.length * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.#index = grow(this.#index, (n) => new Int32Array(n));
    this.#stats = this.#stats.map((a) => grow(a, (n) => new Float64Array(n)));
  }

  /** Add a block of rows as the worker sent them (see engine/diagnostics-output.ts). */
  append(table: Table): void {
    const n = table.numRows;
    this.#reserve(n);
    const at = this.#length;
    const copy = (name: string, into: Int32Array | Float64Array) => {
      let offset = at;
      for (const batch of numberBatches(table, name)) {
        into.set(batch, offset);
        offset += batch.length;
      }
    };
    copy("index", this.#index);
    DIAGNOSTIC_NAMES.forEach((name, j) => copy(name, this.#stats[j]));
    for (const [name, into] of [
      ["group", this.#group],
      ["variable", this.#variable],
      ["element", this.#element],
      ["spec", this.#spec],
    ] as const) {
      const column = table.getChild(name)!;
      for (let i = 0; i < n; i++) into.push(String(column.get(i)));
    }
    for (let i = this.#length; i < this.#length + n; i++) this.#longestElement = Math.max(this.#longestElement, this.#element[i].length);
    this.#length += n;
  }

  /** The number of characters of the longest element name, for sizing its column. */
  get longestElement(): number {
    return this.#longestElement;
  }

  /** A diagnostic's values for rows 0..length-1 (a view: do not keep it across appends). */
  stat(name: DiagnosticName): Float64Array {
    return this.#stats[DIAGNOSTIC_NAMES.indexOf(name)].subarray(0, this.#length);
  }

  /** Each row's position in the scope (the order of variables and their elements in the trace). */
  indices(): Int32Array {
    return this.#index.subarray(0, this.#length);
  }

  group(row: number): string {
    return this.#group[row];
  }
  variable(row: number): string {
    return this.#variable[row];
  }
  /** `theta[Choate, 2019]` */
  element(row: number): string {
    return this.#element[row];
  }
  /** The spec that reads only this element: `theta[school=Choate, year=2019]`. */
  spec(row: number): string {
    return this.#spec[row];
  }
}
