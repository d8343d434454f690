/** Command-line arguments of `draws`: a store, specs, and options. */
export interface DrawsArgs {
  store: string;
  specs: string[];
  groups: string[];
  format: "csv" | "arrow";
  out?: string;
}

import { DrawscopeError } from "../engine/errors.ts";

/** A usage mistake on the command line; the message says what to type instead. */
export class UsageError extends DrawscopeError {
  override name = "UsageError";
}

export const USAGE = `usage: npm run -s draws -- <store> <spec>... [--group NAME]... [--format csv|arrow] [--out FILE]

  <store>   a Zarr folder (format 2 or 3), a .zip of one, or an http(s) URL
  <spec>    sigma | beta[groups] | theta[school, year] | constant_data/x ...
            several specs may share one argument: "beta[groups], sigma"
  --group   group to read specs from (default posterior); repeat to stack groups
            with a 'source' column (e.g. --group posterior --group prior)
  --format  csv (default) or arrow (Arrow IPC file)
  --out     write to FILE instead of standard output`;

export function parseDrawsArgs(argv: readonly string[]): DrawsArgs {
  const positional: string[] = [];
  const groups: string[] = [];
  let format: DrawsArgs["format"] = "csv";
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--group":
        groups.push(value());
        break;
      case "--format": {
        const f = value();
        if (f !== "csv" && f !== "arrow") throw new UsageError(`--format must be csv or arrow, not '${f}'`);
        format = f;
        break;
      }
      case "--out":
        out = value();
        break;
      default:
        if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  const [store, ...specs] = positional;
  if (!store) throw new UsageError("missing the store: give the path of a Zarr folder or .zip, or a URL");
  if (specs.length === 0) throw new UsageError("missing specs: name at least one variable, e.g. sigma or 'beta[groups]'");
  return { store, specs, groups, format, out };
}
