import type { ColumnData } from "./column-data.ts";
import type { BinaryOp, Expr, FunctionName, UnaryOp } from "./expression.ts";
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

/** An expression ready to run: its steps, its constants' registers, and the register of its result. */
export interface Program {
  steps: Step[];
  registers: number;
  /** Registers holding a number of the expression, filled once. */
  constants: { register: number; value: number }[];
  result: number;
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
  return { steps, registers, constants, result };
}

const logit = (p: number) => Math.log(p / (1 - p));
const invLogit = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

function runUnary(op: UnaryOp | FunctionName, out: Float64Array, o: number, a: Float64Array, ao: number, n: number): void {
  switch (op) {
    case "-":
      for (let i = 0; i < n; i++) out[o + i] = -a[ao + i];
      return;
    case "!":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] === 0 ? 1 : a[ao + i] === a[ao + i] ? 0 : NaN;
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[o + i] = Math.exp(a[ao + i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[o + i] = Math.log(a[ao + i]);
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[o + i] = Math.log1p(a[ao + i]);
      return;
    case "expm1":
      for (let i = 0; i < n; i++) out[o + i] = Math.expm1(a[ao + i]);
      return;
    case "log2":
      for (let i = 0; i < n; i++) out[o + i] = Math.log2(a[ao + i]);
      return;
    case "log10":
      for (let i = 0; i < n; i++) out[o + i] = Math.log10(a[ao + i]);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[o + i] = Math.sqrt(a[ao + i]);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[o + i] = Math.abs(a[ao + i]);
      return;
    case "square":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] * a[ao + i];
      return;
    case "inv_logit":
      for (let i = 0; i < n; i++) out[o + i] = invLogit(a[ao + i]);
      return;
    case "logit":
      for (let i = 0; i < n; i++) out[o + i] = logit(a[ao + i]);
      return;
    case "Phi":
      for (let i = 0; i < n; i++) out[o + i] = normalCdf(a[ao + i]);
      return;
    case "probit":
      for (let i = 0; i < n; i++) out[o + i] = normalQuantile(a[ao + i]);
      return;
    default:
      throw new Error(`no unary step ${op}`);
  }
}

/** A comparison's or a logical operator's value: 1 or 0, NaN where an operand is NaN (R's NA). */
const truth = (value: boolean, a: number, b: number) => (a !== a || b !== b ? NaN : value ? 1 : 0);

function runBinary(op: BinaryOp | FunctionName, out: Float64Array, o: number, a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): void {
  switch (op) {
    case "+":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] + b[bo + i];
      return;
    case "-":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] - b[bo + i];
      return;
    case "*":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] * b[bo + i];
      return;
    case "/":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] / b[bo + i];
      return;
    case "^":
    case "pow":
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] ** b[bo + i];
      return;
    case "min":
      for (let i = 0; i < n; i++) out[o + i] = Math.min(a[ao + i], b[bo + i]);
      return;
    case "max":
      for (let i = 0; i < n; i++) out[o + i] = Math.max(a[ao + i], b[bo + i]);
      return;
    case "<":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] < b[bo + i], a[ao + i], b[bo + i]);
      return;
    case "<=":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] <= b[bo + i], a[ao + i], b[bo + i]);
      return;
    case ">":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] > b[bo + i], a[ao + i], b[bo + i]);
      return;
    case ">=":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] >= b[bo + i], a[ao + i], b[bo + i]);
      return;
    case "==":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] === b[bo + i], a[ao + i], b[bo + i]);
      return;
    case "!=":
      for (let i = 0; i < n; i++) out[o + i] = truth(a[ao + i] !== b[bo + i], a[ao + i], b[bo + i]);
      return;
    case "&&":
      // R's &: false wins over NA.
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i] === 0 || b[bo + i] === 0 ? 0 : a[ao + i] !== a[ao + i] || b[bo + i] !== b[bo + i] ? NaN : 1;
      return;
    case "||":
      // R's |: true wins over NA.
      for (let i = 0; i < n; i++)
        out[o + i] = (a[ao + i] !== 0 && a[ao + i] === a[ao + i]) || (b[bo + i] !== 0 && b[bo + i] === b[bo + i]) ? 1 : a[ao + i] !== a[ao + i] || b[bo + i] !== b[bo + i] ? NaN : 0;
      return;
    default:
      throw new Error(`no binary step ${op}`);
  }
}

/**
 * Run a program over `length` rows of its operand columns (numbers, or booleans as 0 and 1) into a
 * float64 column (`out`, new unless given). A comparison or a logical operator gives 1 or 0 (so a mean of it is a
 * probability), or NaN where an operand is NaN (R's NA).
 *
 * Steps read float64 operands where they are and the last step writes into the column, so a
 * register holds only what is computed between them (and operands of other types, converted).
 */
export function run(program: Program, operands: readonly ColumnData[], length: number, out: Float64Array = new Float64Array(length)): Float64Array {
  const registers = Array.from({ length: program.registers }, () => new Float64Array(TILE));
  for (const { register, value } of program.constants) registers[register].fill(value);
  // Per register, the array it is read from (or written to) in this tile, and where in it.
  const arrays: Float64Array[] = registers.slice();
  const offsets = new Array<number>(program.registers).fill(0);
  const last = program.steps[program.steps.length - 1];
  const direct = program.steps.map((step) => step.kind === "load" && operands[step.operand].data instanceof Float64Array);
  const writesOut = last !== undefined && last.kind !== "load" && last.out === program.result;
  if (writesOut) arrays[program.result] = out;
  program.steps.forEach((step, k) => {
    if (direct[k]) arrays[step.out] = operands[(step as Extract<Step, { kind: "load" }>).operand].data as Float64Array;
  });
  for (let from = 0; from < length; from += TILE) {
    const n = Math.min(TILE, length - from);
    for (const [k, step] of program.steps.entries()) {
      if (step.kind === "load") {
        if (direct[k]) offsets[step.out] = from;
        else {
          const data = operands[step.operand].data as ArrayLike<number>;
          const target = registers[step.out];
          for (let i = 0; i < n; i++) target[i] = data[from + i];
        }
        continue;
      }
      if (writesOut && step.out === program.result) offsets[step.out] = from;
      if (step.kind === "unary") runUnary(step.op, arrays[step.out], offsets[step.out], arrays[step.a], offsets[step.a], n);
      else runBinary(step.op, arrays[step.out], offsets[step.out], arrays[step.a], offsets[step.a], arrays[step.b], offsets[step.b], n);
    }
    if (!writesOut) out.set(arrays[program.result].subarray(offsets[program.result], offsets[program.result] + n), from);
  }
  return out;
}
