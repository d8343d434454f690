import { useState } from "react";
import { PANEL_KINDS } from "../panels/registry.ts";
import { useActions, useApp } from "./context.ts";
import { PanelCard } from "./PanelCard.tsx";
import "./PanelList.css";

/** The view's panels in order, and a control to add another. */
export function PanelList() {
  const panels = useApp((s) => s.view.panels);
  const { addPanel } = useActions();
  const [kind, setKind] = useState(PANEL_KINDS[0].kind);
  return (
    <div className="panels">
      {panels.map((p, i) => (
        <PanelCard key={p.id} panel={p} index={i} count={panels.length} />
      ))}
      <form
        className="add-panel"
        onSubmit={(e) => {
          e.preventDefault();
          addPanel(kind);
        }}
      >
        <label>
          Panel kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {PANEL_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add panel</button>
      </form>
    </div>
  );
}
