import { parseArgs } from "node:util";
import { DrawscopeError, INTERVAL_KINDS, POINT_KINDS, type IntervalKind, type PointKind } from "../engine/node.ts";

/** A usage mistake on the command line; the message says what to type instead. */
export class UsageError extends DrawscopeError {
  override name = "UsageError";
  override readonly tag = "usage";
}

/** Positional arguments, the values given to each `--flag` (repeatable) in order, and the switches given. */
interface RawArgs {
  positional: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

/** node:util's words for a mistake, as a usage error in ours: the option it names, and what is wrong with it. */
function usageOf(error: { code?: string; message: string }): UsageError {
  const option = /'(-[^' ]*)/.exec(error.message)?.[1] ?? "an option";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new UsageError(`unknown option ${option}`);
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return new UsageError(/does not take an argument/.test(error.message) ? `${option} takes no value` : `${option} needs a value`);
  return new UsageError(error.message);
}

/**
 * Split argv (node:util's parseArgs) into positionals, the values of the `known` flags
 * (`--flag VALUE` or `--flag=VALUE`, each repeatable) and the `switches` given (flags without a value).
 */
function readArgs(argv: readonly string[], known: readonly string[], switches: readonly string[] = []): RawArgs {
  const options: Record<string, { type: "string"; multiple: true } | { type: "boolean" }> = {};
  for (const flag of known) options[flag.slice(2)] = { type: "string", multiple: true };
  for (const flag of switches) options[flag.slice(2)] = { type: "boolean" };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageOf(error as { code?: string; message: string });
  }
  const flags = new Map<string, string[]>();
  const given = new Set<string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) flags.set(`--${name}`, value.map(String));
    else if (value === true) given.add(`--${name}`);
  }
  return { positional: parsed.positionals, flags, switches: given };
}

function storeAndSpecs(positional: readonly string[]): { store: string; specs: string[] } {
  const [store, ...specs] = positional;
  if (!store) throw new UsageError("missing the store: give the path of a Zarr folder or .zip, or a URL");
  if (specs.length === 0) throw new UsageError("missing specs: name at least one variable, e.g. sigma or 'beta[groups]'");
  return { store, specs };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}, not '${value}'`);
  }
  return value as T;
}

/** The last value given to a flag (a later flag overrides an earlier one). */
const last = (args: RawArgs, flag: string) => args.flags.get(flag)?.at(-1);

/** Command-line arguments of `draws`: a store, specs, and options. */
export interface DrawsArgs {
  store: string;
  specs: string[];
  groups: string[];
  format: "csv" | "arrow";
  out?: string;
  /** Print what was read (chunks, bytes, rows, time) to standard error. */
  stats: boolean;
}

const STORE_HELP = `  <store>   a Zarr folder (format 2 or 3), a .zip of one, a NetCDF-4 file (.nc), CmdStan's CSV
            output (a folder of output_N.csv, one .csv, or a .zip of them), or an http(s) URL
  <spec>    sigma | beta[groups] | theta[school, year] | constant_data/x ...
            several specs may share one argument: "beta[groups], sigma"
  --group   group to read specs from (default posterior); repeat to stack groups
            with a 'source' column (e.g. --group posterior --group prior)`;

export const USAGE = `usage: npm run -s draws -- <store> <spec>... [--group NAME]... [--format csv|arrow] [--out FILE] [--stats]

${STORE_HELP}
  --format  csv (default) or arrow (Arrow IPC file)
  --out     write to FILE instead of standard output
  --stats   print the arrays, chunks and bytes read, the rows and the time to standard error`;

export function parseDrawsArgs(argv: readonly string[]): DrawsArgs {
  const args = readArgs(argv, ["--group", "--format", "--out"], ["--stats"]);
  const format = oneOf("--format", last(args, "--format") ?? "csv", ["csv", "arrow"] as const);
  return {
    ...storeAndSpecs(args.positional),
    groups: args.flags.get("--group") ?? [],
    format,
    out: last(args, "--out"),
    stats: args.switches.has("--stats"),
  };
}

/** Command-line arguments of `summarize`. */
export interface SummarizeArgs {
  store: string;
  specs: string[];
  groups: string[];
  /** The value column; undefined when the table's only number column is meant. */
  value?: string;
  /** Grouping columns; undefined for the value's own dimensions (and the source). */
  by?: string[];
  probs: number[];
  point: PointKind;
  interval: IntervalKind;
}

export const SUMMARIZE_USAGE = `usage: npm run -s summarize -- <store> <spec>... --value COL [--by DIM,...] [--prob P,...]
         [--point median|mean|mode] [--interval eti|hdi] [--group NAME]...

${STORE_HELP}
  --value     the number column to summarise (may be left out when there is only one)
  --by        columns to group by, comma-separated (default: the value's own dimensions,
              and 'source' when groups are stacked); --by '' for one summary of all rows
  --prob      interval probabilities, comma-separated (default 0.89); with several, the
              bound columns get _<p> suffixes (beta_lower_0.5, beta_upper_0.5, ...)
  --point     median (default), mean, or mode (the peak of the kernel density)
  --interval  eti (equal-tailed, default) or hdi (narrowest window of ceil(p·n) draws)

  prints CSV: <by...>, <value>, <value>_lower, <value>_upper`;

export function parseSummarizeArgs(argv: readonly string[]): SummarizeArgs {
  const args = readArgs(argv, ["--group", "--value", "--by", "--prob", "--point", "--interval"]);
  const by = last(args, "--by");
  const probs = (last(args, "--prob") ?? "0.89").split(",").map((text) => {
    const p = Number(text.trim());
    if (text.trim() === "" || !(p > 0 && p <= 1)) throw new UsageError(`--prob takes probabilities in (0, 1], comma-separated, e.g. 0.5,0.89; '${text}' is not one`);
    return p;
  });
  return {
    ...storeAndSpecs(args.positional),
    groups: args.flags.get("--group") ?? [],
    value: last(args, "--value"),
    by:
      by === undefined
        ? undefined
        : by
            .split(",")
            .map((d) => d.trim())
            .filter((d) => d !== ""),
    probs,
    point: oneOf("--point", last(args, "--point") ?? "median", POINT_KINDS),
    interval: oneOf("--interval", last(args, "--interval") ?? "eti", INTERVAL_KINDS),
  };
}

/** Command-line arguments of `diagnose`. */
export interface DiagnoseArgs {
  store: string;
  specs: string[];
  groups: string[];
}

export const DIAGNOSE_USAGE = `usage: npm run -s diagnose -- <store> <spec>... [--group NAME]...

${STORE_HELP}; several groups add a 'group' column
            a spec may select labels: 'beta[groups=North|South]'

  prints CSV, one row per scalar element: variable, <dims...>, mean, sd, median, mad, q5, q95,
  rhat, ess_bulk, ess_tail, mcse_mean, mcse_sd (as R's posterior package; NA where it gives NA)`;

export function parseDiagnoseArgs(argv: readonly string[]): DiagnoseArgs {
  const args = readArgs(argv, ["--group"]);
  return { ...storeAndSpecs(args.positional), groups: args.flags.get("--group") ?? [] };
}

/** Command-line arguments of `loo`: stores (one model each) and options. */
export interface LooArgs {
  stores: string[];
  variable?: string;
  rEff: "relative" | 1;
  format: "csv" | "json";
  /** CSV of every observation's values instead of each model's estimates. */
  pointwise: boolean;
}

export const LOO_USAGE = `usage: npm run -s loo -- <store>... [--var NAME] [--reff auto|1] [--format csv|json] [--pointwise]

  <store>      a trace with a log_likelihood group (a Zarr folder or .zip, a NetCDF-4 file, or a URL);
               several stores are several models, compared as R's loo_compare does
  --var        the log_likelihood variable (needed when the group has more than one)
  --reff       r_eff per observation: auto (loo's relative_eff over the chains, the default) or 1
  --format     csv (default): one row per model, its elpd_loo, p_loo and looic with their standard
               errors, and with several models elpd_diff, se_diff and p_worse against the best;
               json: {"models": [{name, elpd_loo, se_elpd_loo, p_loo, se_p_loo, looic, se_looic,
               pointwise: {elpd_loo, pareto_k, ...}}], "compare": [{name, elpd_diff, se_diff, ...}]}
  --pointwise  CSV of every observation instead: model, its labels, elpd_loo, mcse_elpd_loo, p_loo,
               looic, pareto_k, n_eff, r_eff`;

export function parseLooArgs(argv: readonly string[]): LooArgs {
  const args = readArgs(argv, ["--var", "--reff", "--format"], ["--pointwise"]);
  if (args.positional.length === 0) throw new UsageError("missing the store: give the path or URL of a trace with a log_likelihood group");
  const pointwise = args.switches.has("--pointwise");
  const format = oneOf("--format", last(args, "--format") ?? "csv", ["csv", "json"] as const);
  if (pointwise && format === "json") throw new UsageError("--pointwise is a CSV table; JSON output has the pointwise values already");
  return {
    stores: args.positional,
    variable: last(args, "--var"),
    rEff: oneOf("--reff", last(args, "--reff") ?? "auto", ["auto", "1"] as const) === "1" ? 1 : "relative",
    format,
    pointwise,
  };
}
