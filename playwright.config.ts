import { defineConfig } from "@playwright/test";

// Defaults for `npm test`; a second checkout or a parallel run can take its own port and build.
const PORT = Number(process.env.DRAWSCOPE_E2E_PORT ?? 4319);
const DIST = process.env.DRAWSCOPE_E2E_DIST ?? "dist";

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.DRAWSCOPE_E2E_OUTPUT ?? "test-results",
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 900 },
    // Debian's Chromium: this machine cannot download Playwright's own browser builds.
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
  },
});
