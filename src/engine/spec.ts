import { SpecError } from "./errors.ts";

/** A name typed in a query, with where it stands in the query string. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** `dim=label` or `dim=label|label…` in brackets: only those labels of the dimension. */
export interface Selection {
  dim: Token;
  labels: Token[];
}

/**
 * One parsed spec: `[group/]name[dim, dim=label, ...]`. `dims` is null when the spec has no
 * brackets (all of the variable's dimensions are meant).
 */
export interface Spec {
  group: Token | null;
  name: Token;
  dims: Token[] | null;
  /** The dimensions restricted to some of their labels, each also among `dims`. */
  selections: Selection[];
  start: number;
  end: number;
}

/** A character of a group, variable or dimension name. */
export const NAME_CHAR = /[^\s[\],/]/;

/**
 * A character of a dimension name or an unquoted label: `=` and `|` separate those. A `/` is one
 * (inside brackets it separates nothing), so a dimension named `a/b` is written as it is.
 */
export const DIM_CHAR = /[^\s[\],=|]/;

/** Cursor over the query text; every error it raises carries the position it stopped at. */
export class Scanner {
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
  name(chars = NAME_CHAR): Token | null {
    const start = this.pos;
    while (this.pos < this.end && chars.test(this.text[this.pos])) this.pos++;
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

/** Split a query on commas that are not inside brackets or parentheses, keeping each piece's offsets. */
export function splitQuery(query: string): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      pieces.push({ start, end: i });
      start = i + 1;
    }
  }
  pieces.push({ start, end: query.length });
  return pieces;
}

/** A label after `=`: a run of name characters, or "quoted" (for labels with spaces or commas). */
function parseLabel(s: Scanner, dim: Token): Token {
  s.skipSpace();
  if (s.peek() === '"') {
    const open = s.pos;
    const close = s.text.indexOf('"', open + 1);
    if (close < 0 || close >= s.end) s.fail(`the label quoted at position ${open + 1} is never closed: add '"'`, open, s.end);
    s.pos = close + 1;
    return { text: s.text.slice(open + 1, close), start: open, end: close + 1 };
  }
  const label = s.name(DIM_CHAR);
  if (!label) s.fail(`expected a label of '${dim.text}' after '=' but found ${s.describeHere()}`);
  return label;
}

function parseSelection(s: Scanner, dim: Token): Selection {
  const labels: Token[] = [];
  do {
    s.pos++;
    labels.push(parseLabel(s, dim));
    s.skipSpace();
  } while (s.peek() === "|");
  return { dim, labels };
}

function parseDims(s: Scanner): { dims: Token[]; selections: Selection[] } {
  const open = s.pos;
  s.pos++;
  const dims: Token[] = [];
  const selections: Selection[] = [];
  for (;;) {
    s.skipSpace();
    const dim = s.name(DIM_CHAR);
    if (!dim) {
      if (s.peek() === "]" && dims.length === 0) {
        s.fail("empty brackets: name the dimensions to spread over, or drop the brackets for all of them", open, s.pos + 1);
      }
      if (s.peek() === undefined) s.fail(`'[' at position ${open + 1} is never closed: add ']'`, open, s.pos);
      s.fail(`expected a dimension name but found ${s.describeHere()}`);
    }
    dims.push(dim);
    s.skipSpace();
    if (s.peek() === "=") selections.push(parseSelection(s, dim));
    const c = s.peek();
    if (c === "]") {
      s.pos++;
      return { dims, selections };
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
  let selections: Selection[] = [];
  if (s.peek() === "[") ({ dims, selections } = parseDims(s));
  s.skipSpace();
  if (s.peek() !== undefined) {
    const rest = query.slice(s.pos, end).trimEnd();
    const hint = s.peek() === "]" ? "an unmatched ']'" : `unexpected '${rest}'`;
    s.fail(`${hint} after '${query.slice(specStart, s.pos).trim()}': separate specs with commas`, s.pos, s.pos + rest.length);
  }
  return { group, name, dims, selections, start: specStart, end: s.pos };
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
