import { useApp } from "./context.ts";
import { DiagnosticsTable } from "./DiagnosticsTable.tsx";
import { DropTarget } from "./DropTarget.tsx";
import { LooSection } from "./LooSection.tsx";
import { EmptyState } from "./EmptyState.tsx";
import { NoticeBanner } from "./NoticeBanner.tsx";
import { PanelList } from "./PanelList.tsx";
import { QueryBar } from "./QueryBar.tsx";
import { TaskBar } from "./TaskBar.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { TraceBrowser } from "./TraceBrowser.tsx";
import "./App.css";

export function App() {
  const open = useApp((s) => s.trace !== undefined);
  const busy = useApp((s) => s.task !== undefined);
  return (
    <div className={open ? "app" : "app no-trace"} aria-busy={busy}>
      <header className="topbar">
        <h1>drawscope</h1>
        <Toolbar />
      </header>
      <TaskBar />
      {open && (
        <aside>
          <TraceBrowser />
        </aside>
      )}
      <main>
        <NoticeBanner />
        {open ? (
          <>
            <QueryBar />
            <DiagnosticsTable />
            <LooSection />
            <PanelList />
          </>
        ) : (
          <EmptyState />
        )}
      </main>
      <DropTarget />
    </div>
  );
}
