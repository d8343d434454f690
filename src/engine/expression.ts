import { SpecError } from "./errors.ts";
import { parseSpec, Scanner, splitQuery, type Spec, type Token } from "./spec.ts";
import { nearestName } from "./suggest.ts";

// Derived quantities in a query: `name = expression` over specs and numbers, with arithmetic,
// comparisons, logic and a few functions. Parsed here into a tree whose every node knows where it
// stands in the query, so errors underline the part at fault.

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||";
export type UnaryOp = "-" | "!";

export type Expr =
  | { kind: "number"; value: number; start: number; end: number }
  | { kind: "operand"; spec: Spec; start: number; end: number }
  | { kind: "unary"; op: UnaryOp; arg: Expr; start: number; end: number }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; start: number; end: number }
  | { kind: "call"; fn: FunctionName; args: Expr[]; start: number; end: number };

/** The functions an expression may call, with how many arguments each takes. */
export const FUNCTIONS = {
  exp: 1,
  log: 1,
  log1p: 1,
  expm1: 1,
  log2: 1,
  log10: 1,
  sqrt: 1,
  abs: 1,
  square: 1,
  inv_logit: 1,
  logit: 1,
  Phi: 1,
  probit: 1,
  pow: 2,
  min: 2,
  max: 2,
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** A query entry that computes a column: its name (given, or the expression's text) and its tree. */
export interface Derived {
  /** The `name` of `name = expression`, or null. */
  name: Token | null;
  /** The column's name: the given name, else the expression's text. */
  column: string;
  expr: Expr;
  start: number;
  end: number;
}

/** Characters that make a query entry an expression when they stand outside brackets and quotes. */
const OPERATOR_CHARS = /[()+\-*^<>=!&|]/;

/**
 * Whether the entry `query[start, end)` is an expression rather than a spec: an operator or a
 * parenthesis outside brackets and quoted labels, a number, or a `/` with space beside it (a
 * spec's `/` joins a group to a variable).
 */
export function isExpression(query: string, start: number, end: number): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < end; i++) {
    const c = query[i];
    if (quoted) {
      if (c === '"') quoted = false;
    } else if (c === '"' && depth > 0) quoted = true;
    else if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      if (OPERATOR_CHARS.test(c)) return true;
      if (c === "/" && (/\s/.test(query[i - 1] ?? " ") || /\s/.test(query[i + 1] ?? " "))) return true;
    }
  }
  return /^\s*[\d.]/.test(query.slice(start, end));
}

const IDENTIFIER_START = /[\p{L}_]/u;
const IDENTIFIER_CHAR = /[\p{L}\p{N}_.]/u;

/** The spec grammar's scanner, with the expression grammar on it (precedence climbing, lowest first). */
class ExpressionParser extends Scanner {
  /** The next `length` characters after any space. */
  ahead(length = 1): string {
    this.skipSpace();
    return this.text.slice(this.pos, Math.min(this.end, this.pos + length));
  }

  here(): string {
    this.skipSpace();
    return this.pos >= this.end ? "the end of the expression" : `'${this.text[this.pos]}' at position ${this.pos + 1}`;
  }

  identifier(): Token | null {
    const start = this.pos;
    if (start >= this.end || !IDENTIFIER_START.test(this.text[start])) return null;
    let at = start + 1;
    while (at < this.end && IDENTIFIER_CHAR.test(this.text[at])) at++;
    this.pos = at;
    return { text: this.text.slice(start, at), start, end: at };
  }

  /** Take `op` if it comes next (and is not the start of a longer operator in `longer`). */
  take(op: string, longer: readonly string[] = []): boolean {
    if (this.ahead(op.length) !== op) return false;
    if (longer.some((l) => this.text.startsWith(l, this.pos))) return false;
    this.pos += op.length;
    return true;
  }

  or(): Expr {
    let left = this.and();
    while (this.take("||"))
      left = binary(
        "||",
        left,
        this.operandOf("||", () => this.and()),
      );
    return left;
  }

  and(): Expr {
    let left = this.comparison();
    while (this.take("&&"))
      left = binary(
        "&&",
        left,
        this.operandOf("&&", () => this.comparison()),
      );
    return left;
  }

  comparison(): Expr {
    let left = this.sum();
    for (;;) {
      const op = (["<=", ">=", "==", "!=", "<", ">"] as const).find((o) => this.take(o));
      if (!op) return left;
      left = binary(
        op,
        left,
        this.operandOf(op, () => this.sum()),
      );
    }
  }

  sum(): Expr {
    let left = this.product();
    for (;;) {
      const op = (["+", "-"] as const).find((o) => this.take(o));
      if (!op) return left;
      left = binary(
        op,
        left,
        this.operandOf(op, () => this.product()),
      );
    }
  }

  product(): Expr {
    let left = this.unary();
    for (;;) {
      const op = (["*", "/"] as const).find((o) => this.take(o));
      if (!op) return left;
      left = binary(
        op,
        left,
        this.operandOf(op, () => this.unary()),
      );
    }
  }

  unary(): Expr {
    this.skipSpace();
    const start = this.pos;
    const op = (["-", "!"] as const).find((o) => this.take(o, o === "!" ? ["!="] : []));
    if (!op) return this.power();
    const arg = this.operandOf(op, () => this.unary(), start);
    return { kind: "unary", op, arg, start, end: arg.end };
  }

  power(): Expr {
    const base = this.primary();
    // Right-associative, and tighter than unary minus on its left: -x^2 is -(x^2), as in R.
    if (!this.take("^")) return base;
    return binary(
      "^",
      base,
      this.operandOf("^", () => this.unary()),
    );
  }

  /** The operand after an operator, or an error that names the operator left without one. */
  operandOf(op: string, parse: () => Expr, opStart = this.pos - op.length): Expr {
    this.skipSpace();
    if (this.pos >= this.end || /[)+*/^<>=&|,]/.test(this.text[this.pos])) {
      this.fail(`'${op}' at position ${opStart + 1} has no operand after it: add a number, a spec or a parenthesis`, opStart, opStart + op.length);
    }
    return parse();
  }

  primary(): Expr {
    this.skipSpace();
    const start = this.pos;
    if (start >= this.end) this.fail("the expression ends where an operand is expected: add a number, a spec or a parenthesis", Math.max(0, start - 1), start);
    const c = this.text[start];
    if (c === "(") {
      this.pos++;
      const inner = this.or();
      if (!this.take(")")) {
        if (this.pos >= this.end) this.fail(`'(' at position ${start + 1} is never closed: add ')'`, start, this.end);
        this.fail(`expected ')' to close '(' at position ${start + 1} but found ${this.here()}`);
      }
      return { ...inner, start, end: this.pos };
    }
    if (/[\d.]/.test(c)) return this.number();
    if (c === ")") this.fail(`an unmatched ')' at position ${start + 1}: remove it or add '(' before it`);
    const name = this.identifier();
    if (!name) this.fail(`expected a number, a spec or '(' but found ${this.here()}`);
    if (this.ahead() === "(") return this.call(name);
    return this.operand(name);
  }

  number(): Expr {
    const start = this.pos;
    const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.text.slice(start, this.end));
    if (!match) this.fail(`expected a number but found ${this.here()}`);
    this.pos += match[0].length;
    if (this.pos < this.end && IDENTIFIER_CHAR.test(this.text[this.pos])) {
      this.fail(`'${this.text.slice(start, this.pos + 1)}' is neither a number nor a name: a name must start with a letter or '_'`, start, this.pos + 1);
    }
    return { kind: "number", value: Number(match[0]), start, end: this.pos };
  }

  call(name: Token): Expr {
    if (!(name.text in FUNCTIONS)) {
      const suggestion = nearestName(name.text, Object.keys(FUNCTIONS));
      throw new SpecError(
        "syntax",
        `no function '${name.text}'${suggestion ? `: did you mean '${suggestion}'?` : ""} (the functions are ${Object.keys(FUNCTIONS).join(", ")})`,
        name.start,
        name.end,
        suggestion,
      );
    }
    const fn = name.text as FunctionName;
    const open = this.pos;
    this.pos++;
    const args: Expr[] = [];
    if (this.ahead() !== ")") {
      do args.push(this.or());
      while (this.take(","));
    }
    if (!this.take(")")) {
      if (this.pos >= this.end) this.fail(`'(' at position ${open + 1} is never closed: add ')'`, open, this.end);
      this.fail(`expected ',' or ')' in the arguments of ${fn} but found ${this.here()}`);
    }
    const arity = FUNCTIONS[fn];
    if (args.length !== arity) {
      this.fail(`${fn} takes ${arity === 1 ? "one argument" : `${arity} arguments`}, not ${args.length}`, name.start, this.pos);
    }
    return { kind: "call", fn, args, start: name.start, end: this.pos };
  }

  /** A spec: `[group/]name[dims]`, its brackets read by the spec grammar. */
  operand(name: Token): Expr {
    let end = name.end;
    if (this.text[end] === "/" && end + 1 < this.end && IDENTIFIER_START.test(this.text[end + 1])) {
      this.pos = end + 1;
      this.identifier();
      end = this.pos;
    }
    const afterName = end;
    this.skipSpace();
    if (this.text[this.pos] === "[") end = this.closingBracket(this.pos) + 1;
    else this.pos = afterName;
    const spec = parseSpec(this.text, name.start, end);
    this.pos = end;
    return { kind: "operand", spec, start: name.start, end };
  }

  /** Where the bracket opened at `open` closes, quoted labels skipped; an error if it never does. */
  closingBracket(open: number): number {
    let quoted = false;
    for (let i = open + 1; i < this.end; i++) {
      const c = this.text[i];
      if (quoted) quoted = c !== '"';
      else if (c === '"') quoted = true;
      else if (c === "]") return i;
    }
    return this.fail(`'[' at position ${open + 1} is never closed: add ']'`, open, this.end);
  }
}

const binary = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right, start: left.start, end: right.end });

/** Parse the entry `query[start, end)` as `[name =] expression`. Positions in the result index `query`. */
export function parseDerived(query: string, start: number, end: number): Derived {
  const p = new ExpressionParser(query, start, end);
  p.skipSpace();
  const entryStart = p.pos;
  let name: Token | null = null;
  const save = p.pos;
  const maybeName = p.identifier();
  if (maybeName && p.take("=", ["=="])) name = maybeName;
  else p.pos = save;
  if (name && p.ahead() === "") p.fail(`'${name.text} =' has no expression after it: write one, e.g. ${name.text} = exp(sigma)`, name.start, p.end);
  const expr = p.or();
  p.skipSpace();
  if (p.pos < p.end) {
    const c = p.text[p.pos];
    if (c === ")") p.fail(`an unmatched ')' at position ${p.pos + 1}: remove it or add '(' before it`);
    p.fail(`expected an operator between '${query.slice(expr.start, expr.end)}' and '${query.slice(p.pos, p.end).trim()}'`, p.pos, p.end);
  }
  const column = name ? name.text : query.slice(expr.start, expr.end).replace(/\s+/g, " ");
  return { name, column, expr, start: entryStart, end: expr.end };
}

/** The operands of an expression (its specs), in the order they appear. */
export function operandsOf(expr: Expr): Extract<Expr, { kind: "operand" }>[] {
  switch (expr.kind) {
    case "operand":
      return [expr];
    case "number":
      return [];
    case "unary":
      return operandsOf(expr.arg);
    case "binary":
      return [...operandsOf(expr.left), ...operandsOf(expr.right)];
    case "call":
      return expr.args.flatMap(operandsOf);
  }
}

/** One entry of a query: a spec, or a derived column. */
export type QueryEntry = { kind: "spec"; spec: Spec } | { kind: "derived"; derived: Derived };

/** Parse several query strings (each may hold comma-separated entries) as one query of specs and expressions. */
export function parseEntries(queries: readonly string[]): { query: string; entries: QueryEntry[] } {
  const query = queries.join(", ");
  const entries = splitQuery(query).map(({ start, end }): QueryEntry => {
    if (isExpression(query, start, end)) return { kind: "derived", derived: parseDerived(query, start, end) };
    return { kind: "spec", spec: parseSpec(query, start, end) };
  });
  return { query, entries };
}
