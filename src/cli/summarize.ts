import { csvPieces, openPath, summarizeTable, summaryTable, tableColumns } from "../engine/node.ts";
import { parseSummarizeArgs, SUMMARIZE_USAGE, UsageError } from "./args.ts";
import { runCommand, write } from "./run.ts";

await runCommand(SUMMARIZE_USAGE, async (argv, setQuery) => {
  const args = parseSummarizeArgs(argv);
  setQuery(args.specs.join(", "));
  const trace = await openPath(args.store);
  const table = await trace.extract(args.specs, { groups: args.groups });
  const columns = tableColumns(table);
  const numbers = columns.filter((c) => c.role === "value" && c.numeric).map((c) => c.name);
  const value = args.value ?? (numbers.length === 1 ? numbers[0] : undefined);
  if (value === undefined) throw new UsageError(`--value is needed to choose among ${numbers.join(", ")}`);
  const column = columns.find((c) => c.name === value);
  if (!column || !numbers.includes(value)) {
    throw new UsageError(`--value ${value} is not a number column of this query; it has ${numbers.join(", ") || "none"}`);
  }
  const labelColumns = columns.filter((c) => c.role === "dim" || c.role === "source").map((c) => c.name);
  const by = args.by ?? [...(columns.some((c) => c.role === "source") ? ["source"] : []), ...column.dims];
  const unknown = by.find((d) => !labelColumns.includes(d));
  if (unknown !== undefined) throw new UsageError(`--by ${unknown} is not a dimension of this query; it has ${labelColumns.join(", ") || "none"}`);
  const summary = summarizeTable(table, value, by, { point: args.point, interval: args.interval, probs: args.probs });
  for (const piece of csvPieces(summaryTable(summary))) await write(process.stdout, piece);
});
