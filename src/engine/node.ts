/** The engine's door in Node (the CLI, the benches): the platform's one, and opening a path on disk or a URL. */
export * from "./index.ts";
export { openPath } from "./store/node.ts";
