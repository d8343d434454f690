import { DrawscopeError } from "../engine/errors.ts";
import type { PanelData } from "./types.ts";

// Every panel folder's `data.ts` is the part of its kind that runs in the worker, keyed by the folder's name (the kind's id).
const modules = import.meta.glob<PanelData>("./*/data.ts", { eager: true, import: "panel" });

const DATA = new Map(Object.entries(modules).map(([path, data]) => [path.split("/")[1], data]));

export function panelData(kind: string): PanelData {
  const data = DATA.get(kind);
  if (!data) throw new DrawscopeError(`no panel kind '${kind}': choose one from the Add panel menu`);
  return data;
}
