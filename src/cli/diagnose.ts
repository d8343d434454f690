import { diagnosticsCsvHeader, diagnosticsCsvLines, escapeCsv, openPath, type DiagnosedBlock } from "../engine/node.ts";
import { DIAGNOSE_USAGE, parseDiagnoseArgs } from "./args.ts";
import { runCommand, write } from "./run.ts";

await runCommand(DIAGNOSE_USAGE, async (argv, setQuery) => {
  const args = parseDiagnoseArgs(argv);
  const query = args.specs.join(", ");
  setQuery(query);
  const trace = await openPath(args.store);
  const blocks: DiagnosedBlock[] = [];
  await trace.diagnose({ kind: "query", query, groups: args.groups }, { onBlock: (block) => blocks.push(block) });
  // Workers finish blocks in any order; the CSV lists elements in the trace's order.
  blocks.sort((a, b) => a.index - b.index);
  const dims: string[] = [];
  for (const { target } of blocks) for (const d of target.dims) if (!dims.includes(d)) dims.push(d);
  const groups = new Set(blocks.map((b) => b.target.variable.group));
  const grouped = groups.size > 1;
  await write(process.stdout, `${grouped ? "group," : ""}${diagnosticsCsvHeader(dims)}\n`);
  for (const block of blocks) {
    const prefix = grouped ? `${escapeCsv(block.target.variable.group)},` : "";
    await write(
      process.stdout,
      diagnosticsCsvLines(block, dims)
        .map((line) => `${prefix}${line}\n`)
        .join(""),
    );
  }
});
