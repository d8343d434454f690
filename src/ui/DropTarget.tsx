import { useEffect, useState } from "react";
import { useActions } from "./context.ts";
import { droppedTrace, UnsupportedInput } from "./sources.ts";
import "./DropTarget.css";

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;

/** The whole page takes a dropped Zarr folder or zip, or CmdStan's CSV files; an overlay says so while dragging. */
export function DropTarget() {
  const { openSource, rejectInput } = useActions();
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overPage = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = "copy";
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      droppedTrace(e.dataTransfer!).then(
        (picked) => openSource(picked.source, picked.ref, picked.label),
        (error: unknown) => rejectInput(error instanceof UnsupportedInput ? error.message : `the drop could not be read: ${(error as Error).message}`),
      );
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", overPage);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", overPage);
      window.removeEventListener("drop", drop);
    };
  }, [openSource, rejectInput]);
  return over ? (
    <div className="drop-overlay" aria-hidden="true">
      <p>Drop a Zarr folder, a .zip, a NetCDF file or CmdStan's CSV files to open them</p>
    </div>
  ) : null;
}
