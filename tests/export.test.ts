import { Bool, DataType, Float32, Int32, Int8, Precision, RecordBatch, Schema, Struct, Table, Uint16, makeData, tableFromIPC, type Field } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { dictionaryData, stringDictionary, valueData } from "../src/engine/arrow-build.ts";
import { roleField } from "../src/engine/columns.ts";
import { ParquetError, parquetToTable, tableToParquet } from "../src/engine/parquet.ts";
import { openPath } from "../src/engine/store/node.ts";
import { exportName } from "../src/ui/export.ts";
import { tableBlob } from "../src/worker/table-file.ts";
import { FIXTURES, parseCsv } from "./golden.ts";

const trace = await openPath(`${FIXTURES}/grouped_regression.zarr`);
const BETA_SIGMA = await trace.extract("beta[groups], sigma", { groups: ["posterior"] });
const MU_DATA = await trace.extract("mu[obs_ind], constant_data/x, constant_data/group_idx, observed_data/y, sample_stats/diverging", { groups: ["posterior"] });

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Every value of a column, as Arrow reads it (strings for dictionary columns). */
function values(table: Table, name: string): unknown[] {
  const vector = table.getChild(name)!;
  return Array.from({ length: vector.length }, (_, i) => vector.get(i));
}

const fieldText = (f: Field) => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: Object.fromEntries([...f.metadata].sort()) });

/** Same columns (names, Arrow types, field metadata) and the same value in every cell (NaN equal to NaN). */
function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map(fieldText)).toEqual(expected.schema.fields.map(fieldText));
  expect(actual.numRows).toBe(expected.numRows);
  for (const field of expected.schema.fields) {
    const got = values(actual, field.name);
    const want = values(expected, field.name);
    const bad = want.findIndex((v, i) => !Object.is(v, got[i]));
    expect(bad, `${field.name} row ${bad}: got ${String(got[bad])}, want ${String(want[bad])}`).toBe(-1);
  }
}

/**
 * A table of the kinds the engine makes that the fixture lacks: float32 with NaN, small ints,
 * booleans, and a dictionary column over three record batches (the last with its own dictionary),
 * 70,000 rows so Parquet writes it in more than one slice.
 */
function mixedTable(): Table {
  const shared = stringDictionary(["Choate", "Deerfield", "Phillips Andover"], new Int8());
  const own = stringDictionary(["St. Paul's", "Mt. Hermon"], new Int8());
  const schema = new Schema([
    roleField("draw", new Int32(), "sample"),
    roleField("school", shared.type, "dim"),
    roleField("theta", new Float32(), "value", ["school"]),
    roleField("count", new Uint16(), "value", []),
    roleField("flag", new Int8(), "value", []),
    roleField("diverging", new Bool(), "value", []),
  ]);
  let start = 0;
  const batches = [30000, 25000, 15000].map((n, b) => {
    const { dictionary } = b < 2 ? shared : own;
    const row = (f: (i: number) => number) => (_: unknown, i: number) => f(start + i);
    const children = [
      makeData({
        type: new Int32(),
        length: n,
        nullCount: 0,
        data: Int32Array.from(
          { length: n },
          row((i) => i),
        ),
      }),
      dictionaryData(
        shared.type,
        Int8Array.from(
          { length: n },
          row((i) => i % dictionary.length),
        ),
        dictionary,
      ),
      makeData({
        type: new Float32(),
        length: n,
        nullCount: 0,
        data: Float32Array.from(
          { length: n },
          row((i) => (i % 97 === 0 ? Number.NaN : Math.sin(i) * 10)),
        ),
      }),
      makeData({
        type: new Uint16(),
        length: n,
        nullCount: 0,
        data: Uint16Array.from(
          { length: n },
          row((i) => (i * 7) % 65536),
        ),
      }),
      makeData({
        type: new Int8(),
        length: n,
        nullCount: 0,
        data: Int8Array.from(
          { length: n },
          row((i) => (i % 256) - 128),
        ),
      }),
      valueData(
        {
          kind: "bool",
          data: Uint8Array.from(
            { length: n },
            row((i) => (i % 7 === 3 ? 1 : 0)),
          ),
        },
        new Bool(),
      ),
    ];
    start += n;
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
  });
  return new Table(schema, batches);
}

/** A CSV field read back as the Arrow value it was written from (see src/engine/csv.ts). */
function fromCsv(text: string, type: DataType): unknown {
  if (DataType.isFloat(type)) return text === "" ? Number.NaN : type.precision === Precision.SINGLE ? Math.fround(Number(text)) : Number(text);
  if (DataType.isInt(type)) return Number(text);
  if (DataType.isBool(type)) return text === "true" ? true : text === "false" ? false : text;
  return text;
}

async function expectCsvRoundTrip(table: Table): Promise<void> {
  const { header, rows } = parseCsv(await (await tableBlob(table, "csv")).text());
  expect(header).toEqual(table.schema.fields.map((f) => f.name));
  expect(rows).toHaveLength(table.numRows);
  table.schema.fields.forEach((field, j) => {
    const want = values(table, field.name);
    const bad = rows.findIndex((row, i) => !Object.is(fromCsv(row[j], field.type), want[i]));
    expect(bad, `${field.name} row ${bad}: '${rows[bad]?.[j]}' for ${String(want[bad])}`).toBe(-1);
  });
}

describe("CSV export", () => {
  it("beta[groups], sigma: the header, 6,400 rows, and every value reads back exactly", async () => {
    await expectCsvRoundTrip(BETA_SIGMA);
    const text = await (await tableBlob(BETA_SIGMA, "csv")).text();
    // chain 0, draw 0, North in the golden table.
    expect(text.split("\n").slice(0, 2)).toEqual(["chain,draw,groups,beta,sigma", "0,0,North,0.35074762718133845,0.47830134586249906"]);
  });

  it("float32 (NaN as an empty field), small ints, booleans and dictionary labels over several batches read back exactly", async () => {
    await expectCsvRoundTrip(mixedTable());
    await expectCsvRoundTrip(MU_DATA);
  });
});

describe("Arrow IPC export", () => {
  for (const [name, table] of [
    ["beta[groups], sigma", BETA_SIGMA],
    ["mu[obs_ind] with data and diverging", MU_DATA],
  ] as const) {
    it(`${name}: an Arrow file that reads back with the same types, metadata and values`, async () => {
      const bytes = await bytesOf(await tableBlob(table, "arrow"));
      expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe("ARROW1");
      expect(new TextDecoder().decode(bytes.subarray(-6))).toBe("ARROW1");
      expectSameTable(tableFromIPC(bytes), table);
    });
  }
});

describe("Parquet export", () => {
  it("beta[groups], sigma: a Parquet file whose dictionary column, types, roles and values come back", async () => {
    const bytes = await bytesOf(await tableBlob(BETA_SIGMA, "parquet"));
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("PAR1");
    expect(new TextDecoder().decode(bytes.subarray(-4))).toBe("PAR1");
    const back = await parquetToTable(bytes);
    expect(String(back.getChild("groups")!.type)).toBe("Dictionary<Int8, Utf8>");
    expect(back.schema.fields.map((f) => f.metadata.get("drawscope:role"))).toEqual(["sample", "sample", "dim", "value", "value"]);
    expect(back.schema.fields[3].metadata.get("drawscope:dims")).toBe("groups");
    expectSameTable(back, BETA_SIGMA);
  });

  it("mu[obs_ind], constant_data/x, constant_data/group_idx, observed_data/y, sample_stats/diverging: ints, floats and booleans", async () => {
    expect(MU_DATA.numRows).toBe(153600);
    expectSameTable(await parquetToTable(await bytesOf(new Blob(await tableToParquet(MU_DATA)))), MU_DATA);
  });

  it("float32 with NaN, Uint16, Int8, booleans and a dictionary whose last batch has its own labels", async () => {
    const table = mixedTable();
    const back = await parquetToTable(await bytesOf(new Blob(await tableToParquet(table))));
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(["Int32", "Dictionary<Int8, Utf8>", "Float32", "Uint16", "Int8", "Bool"]);
    expectSameTable(back, table);
    expect(values(back, "school").slice(54999, 55002)).toEqual(["Choate", "St. Paul's", "Mt. Hermon"]);
  });

  it("a table without rows keeps its columns", async () => {
    const empty = new Table(BETA_SIGMA.schema);
    const back = await parquetToTable(await bytesOf(new Blob(await tableToParquet(empty))));
    expectSameTable(back, empty);
  });

  it("bytes that are not Parquet give a ParquetError", async () => {
    const error = await parquetToTable(new TextEncoder().encode("chain,draw\n0,0\n")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetError);
    expect((error as ParquetError).stage).toBe("read");
    expect((error as ParquetError).message).toMatch(/^could not read Parquet: /);
  });
});

describe("export file names", () => {
  it("are made from the panel kind and the query", () => {
    expect(exportName(["density", "beta[groups]"], "svg")).toBe("drawscope-density-beta_groups.svg");
    expect(exportName(["tidy", "beta[groups], sigma"], "parquet")).toBe("drawscope-tidy-beta_groups_sigma.parquet");
    expect(exportName(["contrast", "Contrast draws", "constant_data/x, mu[obs_ind]"], "csv")).toBe("drawscope-contrast-Contrast_draws-constant_data_x_mu_obs_ind.csv");
    expect(exportName(["density", "[]"], "png")).toBe("drawscope-density-untitled.png");
  });
});
