import { SpecError } from "./errors.ts";

/** A name typed in a query, with where it stands in the query string. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * One parsed spec: `[group/]name[dim, ...]`. `dims` is null when the spec has no brackets
 * (all of the variable's dimensions are meant).
 */
export interface Spec {
  group: Token | null;
  name: Token;
  dims: Token[] | null;
  start: number;
  end: number;
}

/** A character of a group, variable or dimension name. */
export const NAME_CHAR = /[^\s[\],/]/;

/** Cursor over the query text; every error it raises carries the position it stopped at. */
class Scanner {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  skipSpace(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos])) this.pos++;
  }
  peek(): string | undefined {
    return this.pos < this.end ? this.text[this.pos] : undefined;
  }
  name(): Token | null {
    const start = this.pos;
    while (this.pos < this.end && NAME_CHAR.test(this.text[this.pos])) this.pos++;
    return this.pos > start ? { text: this.text.slice(start, this.pos), start, end: this.pos } : null;
  }
  fail(message: string, start = this.pos, end = Math.min(this.end, start + 1)): never {
    throw new SpecError("syntax", message, start, Math.max(end, start));
  }
  describeHere(): string {
    const c = this.peek();
    return c === undefined ? "the end of the spec" : `'${c}' at position ${this.pos + 1}`;
  }
}

/** Split a query on commas that are not inside brackets, keeping each piece's offsets. */
export function splitQuery(query: string): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      pieces.push({ start, end: i });
      start = i + 1;
    }
  }
  pieces.push({ start, end: query.length });
  return pieces;
}

function parseDims(s: Scanner): Token[] {
  const open = s.pos;
  s.pos++;
  const dims: Token[] = [];
  for (;;) {
    s.skipSpace();
    const dim = s.name();
    if (!dim) {
      if (s.peek() === "]" && dims.length === 0) {
        s.fail("empty brackets: name the dimensions to spread over, or drop the brackets for all of them", open, s.pos + 1);
      }
      if (s.peek() === undefined) s.fail(`'[' at position ${open + 1} is never closed: add ']'`, open, s.pos);
      s.fail(`expected a dimension name but found ${s.describeHere()}`);
    }
    dims.push(dim);
    s.skipSpace();
    const c = s.peek();
    if (c === "]") {
      s.pos++;
      return dims;
    }
    if (c === ",") {
      s.pos++;
      continue;
    }
    if (c === undefined) s.fail(`'[' at position ${open + 1} is never closed: add ']'`, open, s.pos);
    s.fail(`expected ',' or ']' after dimension '${dim.text}' but found ${s.describeHere()}`);
  }
}

/** Parse the spec occupying `query[start, end)`. Positions in the result index `query`. */
export function parseSpec(query: string, start = 0, end = query.length): Spec {
  const s: Scanner = new Scanner(query, start, end);
  s.skipSpace();
  const specStart = s.pos;
  if (s.peek() === undefined) s.fail("empty spec: write a variable name such as 'sigma' or 'beta[groups]'", start, end);
  let name = s.name();
  if (!name) s.fail(`expected a variable name but found ${s.describeHere()}`);
  let group: Token | null = null;
  if (s.peek() === "/") {
    group = name;
    s.pos++;
    name = s.name();
    if (!name) s.fail(`expected a variable name after '${group.text}/' but found ${s.describeHere()}`);
  }
  s.skipSpace();
  let dims: Token[] | null = null;
  if (s.peek() === "[") dims = parseDims(s);
  s.skipSpace();
  if (s.peek() !== undefined) {
    const rest = query.slice(s.pos, end).trimEnd();
    const hint = s.peek() === "]" ? "an unmatched ']'" : `unexpected '${rest}'`;
    s.fail(`${hint} after '${query.slice(specStart, s.pos).trim()}': separate specs with commas`, s.pos, s.pos + rest.length);
  }
  return { group, name, dims, start: specStart, end: s.pos };
}

/** Parse a comma-separated query such as `beta[groups], sigma` into specs. */
export function parseQuery(query: string): Spec[] {
  return splitQuery(query).map(({ start, end }) => parseSpec(query, start, end));
}

/** Parse several query strings (each may hold comma-separated specs) as one query. */
export function parseQueries(queries: readonly string[]): { query: string; specs: Spec[] } {
  const query = queries.join(", ");
  return { query, specs: parseQuery(query) };
}
