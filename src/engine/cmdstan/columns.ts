import { CmdStanError } from "../errors.ts";

/**
 * CmdStan's header gathered into variables, named as ArviZ's `from_cmdstan` names them. A column
 * `theta.2.3` is element [1, 2] of `theta` (indices from 1); the variable's shape is the largest
 * index along each axis, its dims `theta_dim_0`, `theta_dim_1` labelled 0 … n-1. CmdStan writes an
 * array's columns in column-major order (the first index fastest); the engine holds C order, so
 * each variable keeps, for every element in C order, the column it is read from.
 */

/** How a column's values are stored: CmdStan prints every value as a number. */
export type ColumnKind = "float" | "int" | "bool";

export interface CsvVariable {
  group: "posterior" | "sample_stats" | "log_likelihood";
  /** The name in the trace: `lp` for `lp__`, `theta` for `theta.1.1` … */
  name: string;
  /** The name CmdStan gives it: `lp__`, `theta`. */
  csvName: string;
  /** Its own dimensions (after chain and draw) and their sizes. */
  dims: string[];
  shape: number[];
  kind: ColumnKind;
  /** The CSV column of each element, in C order. */
  columns: Int32Array;
}

/** ArviZ's names for the sampler's columns (`name__`); others just lose the `__`. */
const SAMPLER_NAMES: Record<string, string> = {
  lp__: "lp",
  accept_stat__: "acceptance_rate",
  stepsize__: "step_size",
  treedepth__: "tree_depth",
  n_leapfrog__: "n_steps",
  divergent__: "diverging",
  energy__: "energy",
};

const KINDS = new Map<string, ColumnKind>([
  ["treedepth__", "int"],
  ["n_leapfrog__", "int"],
  ["divergent__", "bool"],
]);

/** ArviZ's `from_cmdstan` moves `log_lik` out of the posterior into its own group. */
const LOG_LIKELIHOOD = "log_lik";

/** How one column's values are stored. */
export const columnKind = (name: string): ColumnKind => KINDS.get(name) ?? "float";

/** The CmdStan name of each sampler statistic the trace names otherwise (`diverging` → `divergent`), as ArviZ records it. */
export const SAMPLER_RENAMES: Record<string, string> = Object.fromEntries(
  Object.entries(SAMPLER_NAMES)
    .filter(([csv, name]) => csv !== `${name}__`)
    .map(([csv, name]) => [name, csv.slice(0, -2)]),
);

const REMEDY = "Open the CSV files CmdStan wrote, unedited";
const INDEX = /^[1-9]\d*$/;

interface Element {
  column: number;
  index: number[];
}

/** The variables of a header (the header's line in `file`, for messages), in the order they first appear. */
export function csvVariables(header: readonly string[], where: { file: string; line: number }): CsvVariable[] {
  const seen = new Set<string>();
  const byName = new Map<string, Element[]>();
  header.forEach((column, at) => {
    const described = () => `column ${at + 1} ('${column}')`;
    if (column === "") throw new CmdStanError("header", where, `${described()} has no name`, REMEDY);
    if (seen.has(column)) throw new CmdStanError("header", where, `${described()} appears twice in the header`, REMEDY);
    seen.add(column);
    const [base, ...parts] = column.split(".");
    if (!parts.every((p) => INDEX.test(p))) {
      throw new CmdStanError(
        "header",
        where,
        `${described()} is not a variable name with indices such as theta.1.2 (complex and tuple outputs are not read yet)`,
        "Leave complex and tuple quantities out of the model's output, or open a trace converted by ArviZ",
      );
    }
    const elements = byName.get(base) ?? [];
    if (elements.length && elements[0].index.length !== parts.length) {
      throw new CmdStanError("header", where, `${described()} has ${parts.length} indices, but '${header[elements[0].column]}' has ${elements[0].index.length}`, REMEDY);
    }
    if (!elements.length) byName.set(base, elements);
    elements.push({ column: at, index: parts.map((p) => Number(p) - 1) });
  });
  return [...byName].map(([csvName, elements]) => variableOf(csvName, elements, where));
}

function variableOf(csvName: string, elements: Element[], where: { file: string; line: number }): CsvVariable {
  const rank = elements[0].index.length;
  const shape = new Array<number>(rank).fill(0);
  for (const { index } of elements) index.forEach((i, k) => (shape[k] = Math.max(shape[k], i + 1)));
  const size = shape.reduce((a, b) => a * b, 1);
  const columns = new Int32Array(size).fill(-1);
  for (const { column, index } of elements) {
    let flat = 0;
    for (let k = 0; k < rank; k++) flat = flat * shape[k] + index[k];
    columns[flat] = column;
  }
  const missing = columns.indexOf(-1);
  if (missing >= 0) {
    let stride = size;
    const index = shape.map((n) => {
      stride /= n;
      return (Math.floor(missing / stride) % n) + 1;
    });
    throw new CmdStanError(
      "header",
      where,
      `the header has ${elements.length} columns of ${csvName} but not ${[csvName, ...index].join(".")}, so they do not make a ${shape.join(" × ")} array`,
      REMEDY,
    );
  }
  const sampler = csvName.endsWith("__");
  const name = sampler ? (SAMPLER_NAMES[csvName] ?? csvName.slice(0, -2)) : csvName;
  return {
    group: sampler ? "sample_stats" : csvName === LOG_LIKELIHOOD ? "log_likelihood" : "posterior",
    name,
    csvName,
    dims: shape.map((_, k) => `${name}_dim_${k}`),
    shape,
    kind: columnKind(csvName),
    columns,
  };
}

/** Where two headers first differ (a column index), or -1 when they are the same. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) if (a[k] !== b[k]) return k;
  return -1;
}
