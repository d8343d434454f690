// Copies the seed's model from ../shared/fixtures into public/examples/, where the app loads it.
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "..", "shared", "fixtures", "grouped_regression.zarr.zip");
const target = join(root, "public", "examples", "grouped_regression.zarr.zip");
if (!existsSync(source)) {
  process.stderr.write(`bundle-example: ${source} is missing; the example trace comes from ../shared/fixtures\n`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
rmSync(target, { force: true });
copyFileSync(source, target);
// The fixtures are read-only; the copy is the project's own.
chmodSync(target, 0o644);
