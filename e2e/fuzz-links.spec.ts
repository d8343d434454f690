// Seeded fuzzing of links: 500 mutations of real link fragments applied to the open app (as a
// pasted or edited link does, through hashchange). None may throw an uncaught error or hang the
// page, and the app still opens and draws afterwards.
import { expect, test } from "@playwright/test";
import { uniforms } from "../src/engine/stats/random.ts";
import { expectBetaSigma, openExample } from "./helpers.ts";

const SEEDS = [
  "#trace=example&q=beta[groups],%20sigma&g=posterior&panel=density;fill=1&panel=table",
  "#trace=example&q=odds%20%3D%20exp(beta[groups])&panel=density;bounds=none;reference=0",
  "#trace=example&q=beta[groups=North%7CEast]&g=posterior,prior&diag=query;rhat=1.05;limit=20",
  "#trace=example&q=mu[obs_ind]&budget=1&panel=intervals;prob=0.5,0.9",
  "#trace=url;https%3A%2F%2Fexample.invalid%2Ft.zarr&q=sigma",
  "#trace=local;my%20trace.zarr&fp=00ff&q=sigma&loo=y;reff=1",
];
const ALPHABET = "#&=;,%|[]()<>!^*+-/.0123456789abcdefgqrstuvwxyzNE \"'\u00e9";
const MUTATIONS = 500;

test("500 mutated link fragments: no uncaught error, no hang, and the app still draws", async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await openExample(page);
  const uniform = uniforms(17);
  const pick = (n: number) => Math.floor(uniform() * n);
  for (let i = 0; i < MUTATIONS; i++) {
    let link = SEEDS[pick(SEEDS.length)];
    for (let edits = 1 + pick(4); edits > 0; edits--) {
      const at = 1 + pick(link.length);
      const kind = pick(3);
      const char = ALPHABET[pick(ALPHABET.length)];
      if (kind === 0) link = link.slice(0, at) + char + link.slice(at);
      else if (kind === 1) link = link.slice(0, at) + link.slice(at + 1);
      else link = link.slice(0, at) + char + link.slice(at + 1);
    }
    // A hang would time this evaluation out: the page must come back to run it.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, link);
  }
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
  await expect(page.locator("body")).toBeVisible();
  await openExample(page);
  await expectBetaSigma(page);
});
