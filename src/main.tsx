import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App.tsx";
import { createEngineClient } from "./worker/client.ts";
import "./ui/styles.css";

const worker = new Worker(new URL("./worker/engine.worker.ts", import.meta.url), { type: "module" });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App engine={createEngineClient(worker)} exampleUrl={`${import.meta.env.BASE_URL}examples/grouped_regression.zarr.zip`} />
  </StrictMode>,
);
