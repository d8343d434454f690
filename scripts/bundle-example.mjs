// Puts the bundled example (the seed's model, fixtures/grouped_regression.zarr.zip, which the tests
// read too) into public/examples/, where the app loads it: one file in the repository, copied at
// start and build time.
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "fixtures", "grouped_regression.zarr.zip");
const target = join(root, "public", "examples", "grouped_regression.zarr.zip");
if (!existsSync(source)) {
  process.stderr.write(`bundle-example: ${source} is missing; restore it with git checkout -- fixtures\n`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
rmSync(target, { force: true });
copyFileSync(source, target);
