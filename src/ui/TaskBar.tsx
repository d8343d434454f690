import { formatCount, megabytes } from "../engine/units.ts";
import { useActions, useApp } from "./context.ts";
import "./TaskBar.css";

/** Progress of the open or query under way (arrays and bytes read), with Cancel. */
export function TaskBar() {
  const task = useApp((s) => s.task);
  const { cancelTask } = useActions();
  if (!task) return null;
  const p = task.progress;
  const detail = !p
    ? "starting"
    : p.kind === "extract"
      ? `${p.chunksDone} of ${formatCount(p.chunksTotal, "chunk")} · ${p.arraysDone} of ${formatCount(p.arraysTotal, "array")} · ${megabytes(p.bytesRead)} read`
      : p.kind === "parse"
        ? `CSV: ${p.filesDone} of ${p.filesTotal} file${p.filesTotal === 1 ? "" : "s"} · ${megabytes(p.bytesRead)}${p.bytesTotal ? ` of ${megabytes(p.bytesTotal)}` : ""} read`
        : `metadata: ${p.reads} read${p.reads === 1 ? "" : "s"} · ${megabytes(p.bytesRead)}`;
  const bar = p?.kind === "extract" ? { max: p.chunksTotal || 1, value: p.chunksDone } : p?.kind === "parse" && p.bytesTotal ? { max: p.bytesTotal, value: p.bytesRead } : {};
  return (
    <div className="taskbar" role="status" aria-label="Progress">
      <span className="task-label">{task.label}</span>
      <progress {...bar} aria-label={task.label} />
      <span className="task-detail">{detail}</span>
      <button type="button" onClick={cancelTask}>
        Cancel
      </button>
    </div>
  );
}
