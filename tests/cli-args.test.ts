// The CLI's arguments, split by node:util's parseArgs and checked by drawscope: usage mistakes
// said in drawscope's words, naming the option.
import { describe, expect, it } from "vitest";
import { parseDrawsArgs, parseSummarizeArgs } from "../src/cli/args.ts";

describe("command-line arguments", () => {
  it("take values as --flag VALUE or --flag=VALUE, repeat --group, and the last --format wins", () => {
    expect(parseDrawsArgs(["s.zarr", "sigma", "beta[groups]", "--group", "posterior", "--group=prior", "--format=csv", "--format", "arrow", "--stats"])).toEqual({
      store: "s.zarr",
      specs: ["sigma", "beta[groups]"],
      groups: ["posterior", "prior"],
      format: "arrow",
      out: undefined,
      stats: true,
    });
    expect(parseSummarizeArgs(["s.zarr", "beta", "--by", "", "--prob", "0.5,0.9"])).toMatchObject({ by: [], probs: [0.5, 0.9] });
  });

  it("say what is wrong, naming the option", () => {
    const mistake = (argv: string[]) => {
      try {
        parseDrawsArgs(argv);
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(mistake(["s.zarr", "sigma", "--foo"])).toBe("unknown option --foo");
    expect(mistake(["s.zarr", "sigma", "-x"])).toBe("unknown option -x");
    expect(mistake(["s.zarr", "sigma", "--format"])).toBe("--format needs a value");
    expect(mistake(["s.zarr", "sigma", "--out", "--stats"])).toBe("--out needs a value");
    expect(mistake(["s.zarr", "sigma", "--stats=1"])).toBe("--stats takes no value");
    expect(mistake(["s.zarr", "sigma", "--format", "parquet"])).toBe("--format must be csv or arrow, not 'parquet'");
    expect(mistake(["s.zarr"])).toBe("missing specs: name at least one variable, e.g. sigma or 'beta[groups]'");
  });
});
