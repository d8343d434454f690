/**
 * What CmdStan's `#` comment lines say: the run's configuration (written before the header), the
 * adaptation (step size and inverse metric, after the warmup draws) and the timing (at the end).
 * Keys are named as ArviZ's `from_cmdstan` names them (`num_samples`, `step_size`,
 * `inverse_mass_matrix`, `sampling_time_seconds`, ...), values kept as numbers where they are.
 */

export type CommentValue = number | string | boolean | null | number[] | number[][];

export interface RunComments {
  /** Every setting and adaptation result, by ArviZ's flat key (a later key of the same name wins, as there). */
  attrs: Record<string, CommentValue>;
  /** `sample`, `optimize`, ...: the CmdStan method that wrote the file, when the comments say. */
  method?: string;
  /** Draws after warmup, and warmup draws written to the file (save_warmup), when the comments say. */
  sampling?: number;
  warmup: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TIMING = /^(?:Elapsed Time:\s*)?([-+\d.eE]+) seconds \((Warm-up|Sampling|Total)\)$/;
const TIMING_KEYS: Record<string, string> = { "Warm-up": "warmup_time_seconds", Sampling: "sampling_time_seconds", Total: "total_time_seconds" };

function settingValue(text: string): CommentValue {
  if (text === "") return null;
  if (text === "true" || text === "false") return text === "true";
  return NUMBER.test(text) ? Number(text) : text;
}

/** A comment line's text without the `#`, the surrounding blanks and CmdStan's `(Default)` mark. */
function commentText(line: string): string {
  return line
    .replace(/^\s*#\s*/, "")
    .replace(/\s*\(Default\)\s*$/, "")
    .trim();
}

/** A line of comma-separated numbers (a row of the inverse metric), or undefined. */
function numberRow(text: string): number[] | undefined {
  const parts = text.split(",").map((p) => p.trim());
  return parts.length > 0 && parts.every((p) => NUMBER.test(p)) ? parts.map(Number) : undefined;
}

const flag = (value: CommentValue | undefined) => value === 1 || value === "1" || value === "true" || value === true;
const count = (value: CommentValue | undefined) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined);

/** Read a chain's comment lines (with their `#`), in file order. */
export function runComments(lines: readonly string[]): RunComments {
  const attrs: Record<string, CommentValue> = {};
  const version: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const text = commentText(lines[k]);
    const timing = TIMING.exec(text);
    if (/^stan_version_(major|minor|patch)\s*=/.test(text)) {
      version.push(text.slice(text.indexOf("=") + 1).trim());
    } else if (/^Step size\s*=/.test(text)) {
      attrs.step_size = settingValue(text.slice(text.indexOf("=") + 1).trim());
    } else if (/inverse mass matrix/.test(text)) {
      // A diagonal metric is one row; a dense one, a row per parameter.
      const rows: number[][] = [];
      for (let row = numberRow(commentText(lines[k + 1] ?? "")); row; row = numberRow(commentText(lines[k + 1] ?? ""))) {
        rows.push(row);
        k++;
      }
      attrs.inverse_mass_matrix = /^Diagonal/.test(text) ? (rows[0] ?? []) : rows;
    } else if (timing) {
      attrs[TIMING_KEYS[timing[2]]] = Number(timing[1]);
    } else {
      const setting = /^(\S+)\s*=\s*(.*)$/.exec(text);
      if (setting) attrs[setting[1]] = settingValue(setting[2]);
    }
  }
  if (version.length) attrs.stan_version = version.join(".");
  const method = typeof attrs.method === "string" ? attrs.method : undefined;
  const thin = count(attrs.thin) || 1;
  const samples = count(attrs.num_samples);
  const warmup = count(attrs.num_warmup) ?? 0;
  // CmdStan writes every thin-th iteration, counting from the first: ceil(n / thin) draws.
  return {
    attrs,
    method,
    sampling: samples === undefined ? undefined : Math.ceil(samples / thin),
    warmup: flag(attrs.save_warmup) ? Math.ceil(warmup / thin) : 0,
  };
}
