// First, so the colours and plain elements come before every component's own stylesheet.
import "./ui/theme.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { syncViewToUrl } from "./state/url-sync.ts";
import { createAppStore } from "./state/store.ts";
import { App } from "./ui/App.tsx";
import { StoreContext } from "./ui/context.ts";
import { createEngineClient } from "./worker/client.ts";

const worker = new Worker(new URL("./worker/engine.worker.ts", import.meta.url), { type: "module" });
const store = createAppStore(createEngineClient(worker), `${import.meta.env.BASE_URL}examples/grouped_regression.zarr.zip`);

syncViewToUrl(store);
void store.actions.startFromLink(location.hash);
// A link pasted into this tab's address bar changes only the fragment: restore that view too.
window.addEventListener("hashchange", () => void store.actions.startFromLink(location.hash));

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
