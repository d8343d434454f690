import type { DiagnosticTarget } from "./diagnose.ts";
import { MEMORY_BOUND, splitBlock, type ElementBlock } from "./diagnose-blocks.ts";
import { targetBlocks, type BlockDraws } from "./element-blocks.ts";
import { BudgetError } from "./errors.ts";
import { planQuery, planRows } from "./query-plan.ts";
import { streamPlan } from "./stream.ts";
import type { OpenedTree } from "./tree.ts";
import { megabytes } from "./units.ts";
import type { WorkPool } from "./pool/pool.ts";

/**
 * The diagnostics target of an expression of a query (its entry, `name = expression`, in `group`):
 * its column's dimensions and labels as the query engine computes it; undefined when the
 * expression has no draws (it reads only data such as constant_data).
 */
export function derivedTarget(opened: OpenedTree, entry: string, group: string): DiagnosticTarget | undefined {
  const plan = planQuery(opened, entry, [group]);
  const [column] = plan.layout.columns;
  if (column.kind !== "derived") return undefined;
  const sampleDims = plan.dims.filter((d) => !column.dims.includes(d));
  if (!sampleDims.includes("draw")) return undefined;
  const labels = column.dims.map((d) => plan.sources[0].labels[plan.dims.indexOf(d)]);
  const shape = plan.dims.map((_, k) => plan.sources[0].labels[k].length);
  const variable = { group, name: column.name, dims: plan.dims, shape, dtype: "float64", attrs: {}, sampleDims };
  return { variable, dims: column.dims, labels, derived: entry };
}

/**
 * An expression's draws as one block of all its elements, element after element (as targetBlocks
 * gives a variable's), in slabs for the pool: the column is computed by the query engine, then
 * transposed. It must fit `memoryBound` twice (the column and its transpose).
 */
async function derivedBlock(opened: OpenedTree, target: DiagnosticTarget, options: { pool?: WorkPool; signal?: AbortSignal; memoryBound: number }): Promise<BlockDraws> {
  const plan = planQuery(opened, target.derived!, [target.variable.group]);
  const rows = planRows(plan);
  if (2 * rows * 8 > options.memoryBound) {
    throw new BudgetError(`the diagnostics of ${target.variable.name} need ${megabytes(2 * rows * 8)}, over the bound of ${megabytes(options.memoryBound)}: select fewer labels in its operands`);
  }
  const values = new Float64Array(rows);
  let at = 0;
  for await (const batch of streamPlan(opened, plan, { signal: options.signal })) {
    values.set(batch.getChild(target.variable.name)!.data[0].values as Float64Array, at);
    at += batch.numRows;
  }
  const count = target.labels.reduce((n, l) => n * l.length, 1);
  const perElement = rows / count;
  const chains = plan.sources[0].labels[plan.dims.indexOf("chain")]?.length ?? 1;
  const block: ElementBlock = { from: 0, count, ranges: target.labels.map((l): [number, number] => [0, l.length]) };
  const slabs = splitBlock(block, options.pool ? 2 * options.pool.size : 1).map((slab) => {
    const draws = new Float64Array(slab.count * perElement);
    for (let e = 0; e < slab.count; e++) {
      const element = slab.from + e;
      for (let s = 0; s < perElement; s++) draws[e * perElement + s] = values[s * count + element];
    }
    return { block: slab, draws };
  });
  return { block, slabs, chains, perElement };
}

/** A target's draws block by block: a variable's read from its chunks (targetBlocks), an expression's computed (derivedBlock). */
export async function* targetDraws(opened: OpenedTree, target: DiagnosticTarget, options: { pool?: WorkPool; signal?: AbortSignal; memoryBound?: number }): AsyncGenerator<BlockDraws> {
  if (target.derived) yield await derivedBlock(opened, target, { ...options, memoryBound: options.memoryBound ?? MEMORY_BOUND });
  else yield* targetBlocks(opened, target, options);
}
