import type { PanelKind } from "./types.ts";

// Every `*.panel.ts` file in this folder is a panel kind: adding a kind is adding one file.
const modules = import.meta.glob<PanelKind>("./*.panel.ts", { eager: true, import: "panel" });

export const PANEL_KINDS: readonly PanelKind[] = Object.values(modules).sort((a, b) => a.order - b.order);

export function panelKind(kind: string): PanelKind | undefined {
  return PANEL_KINDS.find((k) => k.kind === kind);
}
