import { tableToIPC } from "apache-arrow";
import type { PanelData } from "../types.ts";

/** Rows sent with the panel's data, so the first screen draws without another request. */
export const FIRST_ROWS = 100;

/** What a table panel starts from: its first rows (an Arrow IPC stream) and how many rows there are. */
export interface TableData {
  first: Uint8Array;
  numRows: number;
}

export const panel: PanelData<TableData> = {
  data(table) {
    return { first: tableToIPC(table.slice(0, FIRST_ROWS), "stream"), numRows: table.numRows };
  },
};
