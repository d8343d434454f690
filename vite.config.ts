import { defineConfig } from "vitest/config";

export default defineConfig({
  worker: { format: "es" },
  // The page bundles React, Arrow and Plot (about 700 kB, 210 kB gzipped); the codecs' wasm sits in
  // the workers' own chunks. One chunk for the page is fine for a tool opened once per session.
  build: { chunkSizeWarningLimit: 1024 },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
