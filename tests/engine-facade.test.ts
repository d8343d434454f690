// The engine's public door (src/engine/index.ts, and node.ts for Node): what it exports is kept
// here, so adding or dropping an export is a visible change.
import { describe, expect, it } from "vitest";
import * as engine from "../src/engine/index.ts";
import * as node from "../src/engine/node.ts";

const EXPORTS = [
  "arrowFilePieces",
  "autoBounds",
  "blobFile",
  "BudgetError",
  "ChainParser",
  "CmdStanError",
  "comparedLoo",
  "compile",
  "CountedStore",
  "csvBatchPieces",
  "csvHeader",
  "csvPieces",
  "DATA_FORMATS",
  "DIAGNOSTIC_NAMES",
  "diagnosticsCsvHeader",
  "diagnosticsCsvLines",
  "diagnosticsTable",
  "DrawscopeError",
  "DTypeError",
  "escapeCsv",
  "formatCount",
  "INTERVAL_KINDS",
  "isBug",
  "isDrawscopeError",
  "kde",
  "lineBlocks",
  "LOO_POINTWISE",
  "looCompare",
  "LooError",
  "megabytes",
  "modelName",
  "NETWORK_TIMEOUTS",
  "openCmdStan",
  "openDirectoryHandle",
  "openFile",
  "openFileEntries",
  "openFiles",
  "openTrace",
  "openUrl",
  "openZipBlob",
  "parseDerived",
  "parseQuery",
  "parseSpec",
  "POINT_KINDS",
  "remoteChunksOf",
  "run",
  "SpecError",
  "stackModels",
  "StoreError",
  "summarizeTable",
  "summaryTable",
  "tableColumns",
  "tableShape",
  "tableToParquet",
  "toCsv",
  "traceFingerprint",
  "uniforms",
  "WorkPool",
];

const sorted = (names: string[]) => names.toSorted((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

describe("the engine's facade", () => {
  it("exports exactly these names", () => {
    expect(sorted(Object.keys(engine))).toEqual(sorted(EXPORTS));
  });

  it("in Node, the same and openPath", () => {
    expect(sorted(Object.keys(node))).toEqual(sorted([...EXPORTS, "openPath"]));
  });
});
