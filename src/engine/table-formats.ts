/** The file formats a table can be exported as. */
export type DataFormat = "csv" | "arrow" | "parquet";

export const DATA_FORMATS: Record<DataFormat, { label: string; extension: string; type: string }> = {
  csv: { label: "CSV", extension: "csv", type: "text/csv" },
  arrow: { label: "Arrow", extension: "arrow", type: "application/vnd.apache.arrow.file" },
  parquet: { label: "Parquet", extension: "parquet", type: "application/vnd.apache.parquet" },
};
