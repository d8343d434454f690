import type { PanelKind } from "./types.ts";

// Every panel folder's `panel.ts` is a panel kind on the page (its `data.ts` runs in the worker): adding a kind is adding one folder.
const modules = import.meta.glob<PanelKind>("./*/panel.ts", { eager: true, import: "panel" });

export const PANEL_KINDS: readonly PanelKind[] = Object.values(modules).sort((a, b) => a.order - b.order);

export function panelKind(kind: string): PanelKind | undefined {
  return PANEL_KINDS.find((k) => k.kind === kind);
}
