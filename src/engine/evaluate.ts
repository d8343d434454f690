import type { ColumnData } from "./column-data.ts";
import { LOGICAL_OPS, type BinaryOp, type Expr, type FunctionName, type UnaryOp } from "./expression.ts";
import { normalCdf } from "./stats/normal-cdf.ts";
import { normalQuantile } from "./stats/normal-quantile.ts";

// An expression compiled once per query into steps over registers of TILE rows: each step is one
// loop over a tile with its operation chosen outside the loop, so rows cost no dispatch and no
// allocation, and a tile's registers stay in the processor's cache between steps.

/** Rows evaluated at a time. */
const TILE = 1024;

type Step =
  | { kind: "load"; out: number; operand: number }
  | { kind: "unary"; op: UnaryOp | FunctionName; out: number; a: number }
  | { kind: "binary"; op: BinaryOp | FunctionName; out: number; a: number; b: number };

/** An expression ready to run: its steps, its constants' registers, and the type of its result. */
export interface Program {
  steps: Step[];
  registers: number;
  /** Registers holding a number of the expression, filled once. */
  constants: { register: number; value: number }[];
  result: number;
  /** True when the expression ends in a comparison or a logical operator: its column holds booleans. */
  logical: boolean;
}

/** Compile an expression whose operands are the columns `operandIndex(operand)` of a batch. */
export function compile(expr: Expr, operandIndex: (operand: Extract<Expr, { kind: "operand" }>) => number): Program {
  const steps: Step[] = [];
  const constants: Program["constants"] = [];
  let registers = 0;
  const emit = (node: Expr): number => {
    const out = registers++;
    switch (node.kind) {
      case "number":
        constants.push({ register: out, value: node.value });
        break;
      case "operand":
        steps.push({ kind: "load", out, operand: operandIndex(node) });
        break;
      case "unary":
        steps.push({ kind: "unary", op: node.op, out, a: emit(node.arg) });
        break;
      case "binary":
        steps.push({ kind: "binary", op: node.op, out, a: emit(node.left), b: emit(node.right) });
        break;
      case "call":
        if (node.args.length === 1) steps.push({ kind: "unary", op: node.fn, out, a: emit(node.args[0]) });
        else steps.push({ kind: "binary", op: node.fn, out, a: emit(node.args[0]), b: emit(node.args[1]) });
        break;
    }
    return out;
  };
  const result = emit(expr);
  const logical = (expr.kind === "unary" || expr.kind === "binary") && LOGICAL_OPS.has(expr.op);
  return { steps, registers, constants, result, logical };
}

const logit = (p: number) => Math.log(p / (1 - p));
const invLogit = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

function runUnary(op: UnaryOp | FunctionName, out: Float64Array, a: Float64Array, n: number): void {
  switch (op) {
    case "-":
      for (let i = 0; i < n; i++) out[i] = -a[i];
      return;
    case "!":
      for (let i = 0; i < n; i++) out[i] = a[i] === 0 ? 1 : a[i] === a[i] ? 0 : NaN;
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
      return;
    case "expm1":
      for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
      return;
    case "log2":
      for (let i = 0; i < n; i++) out[i] = Math.log2(a[i]);
      return;
    case "log10":
      for (let i = 0; i < n; i++) out[i] = Math.log10(a[i]);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
      return;
    case "square":
      for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
      return;
    case "inv_logit":
      for (let i = 0; i < n; i++) out[i] = invLogit(a[i]);
      return;
    case "logit":
      for (let i = 0; i < n; i++) out[i] = logit(a[i]);
      return;
    case "Phi":
      for (let i = 0; i < n; i++) out[i] = normalCdf(a[i]);
      return;
    case "probit":
      for (let i = 0; i < n; i++) out[i] = normalQuantile(a[i]);
      return;
    default:
      throw new Error(`no unary step ${op}`);
  }
}

/** A comparison's or a logical operator's value: 1 or 0, NaN where an operand is NaN (R's NA). */
const truth = (value: boolean, a: number, b: number) => (a !== a || b !== b ? NaN : value ? 1 : 0);

function runBinary(op: BinaryOp | FunctionName, out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  switch (op) {
    case "+":
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case "-":
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case "*":
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case "/":
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    case "^":
    case "pow":
      for (let i = 0; i < n; i++) out[i] = a[i] ** b[i];
      return;
    case "min":
      for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]);
      return;
    case "max":
      for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]);
      return;
    case "<":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] < b[i], a[i], b[i]);
      return;
    case "<=":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] <= b[i], a[i], b[i]);
      return;
    case ">":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] > b[i], a[i], b[i]);
      return;
    case ">=":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] >= b[i], a[i], b[i]);
      return;
    case "==":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] === b[i], a[i], b[i]);
      return;
    case "!=":
      for (let i = 0; i < n; i++) out[i] = truth(a[i] !== b[i], a[i], b[i]);
      return;
    case "&&":
      // R's &: false wins over NA.
      for (let i = 0; i < n; i++) out[i] = a[i] === 0 || b[i] === 0 ? 0 : a[i] !== a[i] || b[i] !== b[i] ? NaN : 1;
      return;
    case "||":
      // R's |: true wins over NA.
      for (let i = 0; i < n; i++) out[i] = (a[i] !== 0 && a[i] === a[i]) || (b[i] !== 0 && b[i] === b[i]) ? 1 : a[i] !== a[i] || b[i] !== b[i] ? NaN : 0;
      return;
    default:
      throw new Error(`no binary step ${op}`);
  }
}

/**
 * Run a program over `length` rows of its operand columns (numbers or booleans): a float64 column,
 * or for a logical program a boolean one (NaN, R's NA, becomes false: Arrow booleans have no NaN).
 */
export function run(program: Program, operands: readonly ColumnData[], length: number): ColumnData {
  const registers = Array.from({ length: program.registers }, () => new Float64Array(TILE));
  for (const { register, value } of program.constants) registers[register].fill(value);
  const out = program.logical ? new Uint8Array(length) : new Float64Array(length);
  for (let from = 0; from < length; from += TILE) {
    const n = Math.min(TILE, length - from);
    for (const step of program.steps) {
      const target = registers[step.out];
      if (step.kind === "load") {
        const data = operands[step.operand].data as ArrayLike<number>;
        for (let i = 0; i < n; i++) target[i] = data[from + i];
      } else if (step.kind === "unary") runUnary(step.op, target, registers[step.a], n);
      else runBinary(step.op, target, registers[step.a], registers[step.b], n);
    }
    const result = registers[program.result];
    if (out instanceof Float64Array) out.set(result.subarray(0, n), from);
    else for (let i = 0; i < n; i++) out[from + i] = result[i] === 1 ? 1 : 0;
  }
  return program.logical ? { kind: "bool", data: out as Uint8Array } : { kind: "number", data: out as Float64Array };
}
