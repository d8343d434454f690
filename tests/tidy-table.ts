import type { Table } from "apache-arrow";
import { buildTable, float64Data, int32Data, labelData, type BuiltColumn } from "../src/engine/table-build.ts";

/**
 * A synthetic tidy table of draws: `chains` × `draws` × the levels of one dimension, rows in
 * that order, with number values computed per row (value(chain, draw, level)).
 */
export function drawsTable(shape: { chains: number; draws: number; dim: string; levels: readonly string[] }, values: Record<string, (chain: number, draw: number, level: number) => number>): Table {
  const { chains, draws, dim, levels } = shape;
  const rows = chains * draws * levels.length;
  const chainOf = (i: number) => Math.floor(i / (draws * levels.length));
  const drawOf = (i: number) => Math.floor(i / levels.length) % draws;
  const columns: BuiltColumn[] = [
    { name: "chain", role: "sample", data: int32Data(Int32Array.from({ length: rows }, (_, i) => chainOf(i))) },
    { name: "draw", role: "sample", data: int32Data(Int32Array.from({ length: rows }, (_, i) => drawOf(i))) },
    {
      name: dim,
      role: "dim",
      data: labelData(
        levels,
        Int32Array.from({ length: rows }, (_, i) => i % levels.length),
      ),
    },
    ...Object.entries(values).map(
      ([name, value]): BuiltColumn => ({
        name,
        role: "value",
        dims: [dim],
        data: float64Data(Float64Array.from({ length: rows }, (_, i) => value(chainOf(i), drawOf(i), i % levels.length))),
      }),
    ),
  ];
  return buildTable(columns);
}
