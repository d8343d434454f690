import { comparedLoo, escapeCsv, LOO_POINTWISE, looCompare, modelName, openPath, type ComparisonRow, type LooResult } from "../engine/node.ts";
import { LOO_USAGE, parseLooArgs } from "./args.ts";
import { runCommand, write } from "./run.ts";

/** Each store's model name (its file or folder name without trace extensions), numbered when repeated. */
function modelNames(stores: readonly string[]): string[] {
  const names: string[] = [];
  for (const store of stores) names.push(modelName(store, names));
  return names;
}

/** A number as JSON and CSV carry it: in full, with NaN as null (JSON) or NA (CSV). */
const jsonNumber = (value: number) => (Number.isFinite(value) ? value : null);
const csvNumber = (value: number) => (Number.isNaN(value) ? "NA" : String(value));

function estimates(result: LooResult) {
  return {
    elpd_loo: result.elpd_loo.estimate,
    se_elpd_loo: result.elpd_loo.se,
    p_loo: result.p_loo.estimate,
    se_p_loo: result.p_loo.se,
    looic: result.looic.estimate,
    se_looic: result.looic.se,
  };
}

const ESTIMATES = ["elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic"] as const;
const COMPARED = ["elpd_diff", "se_diff", "p_worse", "diag_diff", "diag_elpd"] as const;

await runCommand(LOO_USAGE, async (argv) => {
  const args = parseLooArgs(argv);
  const names = modelNames(args.stores);
  const results: LooResult[] = [];
  for (const store of args.stores) results.push(await (await openPath(store)).loo({ variable: args.variable, rEff: args.rEff }));
  const compared: ComparisonRow[] | undefined = results.length > 1 ? looCompare(results.map((r, i) => comparedLoo(names[i], r))) : undefined;

  if (args.format === "json") {
    const models = results.map((r, i) => ({
      name: names[i],
      variable: r.variable,
      ...estimates(r),
      pointwise: Object.fromEntries(LOO_POINTWISE.map((name) => [name, Array.from(r.pointwise[name], jsonNumber)])),
    }));
    const compare = compared?.map((row) => ({ name: row.name, ...Object.fromEntries(COMPARED.map((key) => [key, typeof row[key] === "number" ? jsonNumber(row[key]) : row[key]])) }));
    await write(process.stdout, `${JSON.stringify(compare ? { models, compare } : { models })}\n`);
    return;
  }
  if (args.pointwise) {
    const dims = [...new Set(results.flatMap((r) => r.dims))];
    await write(process.stdout, `${["model", ...dims, ...LOO_POINTWISE].map(escapeCsv).join(",")}\n`);
    for (const [m, r] of results.entries()) {
      const lines: string[] = [];
      for (let i = 0; i < r.pointwise.elpd_loo.length; i++) {
        const labels = dims.map((d) => (r.dims.includes(d) ? escapeCsv(String(r.labels[r.dims.indexOf(d)][i])) : "NA"));
        lines.push(`${[escapeCsv(names[m]), ...labels, ...LOO_POINTWISE.map((name) => csvNumber(r.pointwise[name][i]))].join(",")}\n`);
      }
      await write(process.stdout, lines.join(""));
    }
    return;
  }
  const header = ["model", ...ESTIMATES, ...(compared ? COMPARED : [])];
  await write(process.stdout, `${header.join(",")}\n`);
  // Several models: in loo_compare's order, best first.
  const order = compared ? compared.map((row) => names.indexOf(row.name)) : [0];
  for (const [rank, m] of order.entries()) {
    const values = estimates(results[m]);
    const row = compared?.[rank];
    const cells = [
      escapeCsv(names[m]),
      ...ESTIMATES.map((key) => csvNumber(values[key])),
      ...(row ? COMPARED.map((key) => (typeof row[key] === "number" ? csvNumber(row[key]) : escapeCsv(row[key]))) : []),
    ];
    await write(process.stdout, `${cells.join(",")}\n`);
  }
});
