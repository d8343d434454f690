import { constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openOutputFile, type OutputFile } from "../src/cli/output-file.ts";

const scratch = mkdtempSync(join(tmpdir(), "drawscope-output-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Bytes 0, 1, …, 250, 0, 1, … (251 is prime, so no piece boundary lines up with the pattern). */
const pattern = (length: number, from = 0) => Uint8Array.from({ length }, (_, i) => (from + i) % 251);

/** Write `pieces` through `file` and close it, returning what they add up to. */
async function writeAll(file: OutputFile, pieces: (string | Uint8Array)[]): Promise<Buffer> {
  for (const piece of pieces) await file.write(piece);
  await file.close();
  return Buffer.concat(pieces.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}

describe("openOutputFile", () => {
  const directOnThisSystem = constants.O_DIRECT !== undefined;

  it("writes pieces across several stages and a part-block tail byte for byte", async () => {
    const path = join(scratch, "pieces.bin");
    const file = await openOutputFile(path, 8192);
    expect(file.direct).toBe(directOnThisSystem);
    // A piece bigger than two stages, pieces straddling stage ends, text with 2- and 3-byte characters, a 1-byte tail.
    const expected = await writeAll(file, [pattern(300), pattern(20000, 7), "αβγ — chain,draw\n".repeat(500), new Uint8Array(0), pattern(8191, 3), pattern(1, 9)]);
    expect(expected.length % 4096).not.toBe(0);
    expect(readFileSync(path).equals(expected)).toBe(true);
    expect(file.direct).toBe(directOnThisSystem);
  });

  it("replaces a longer file that was there", async () => {
    const path = join(scratch, "replaced.bin");
    writeFileSync(path, pattern(100000));
    const expected = await writeAll(await openOutputFile(path, 8192), [pattern(5000, 11)]);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it("makes an empty file of no pieces", async () => {
    const path = join(scratch, "empty.bin");
    await writeAll(await openOutputFile(path), []);
    expect(readFileSync(path).length).toBe(0);
  });

  it("goes on with ordinary writes where a direct write is refused", async () => {
    // A stage of 1000 bytes is not whole 512- or 4096-byte blocks, as a file system with larger blocks would refuse.
    const path = join(scratch, "refused.bin");
    const file = await openOutputFile(path, 1000);
    expect(file.direct).toBe(directOnThisSystem);
    const expected = await writeAll(file, [pattern(2500), pattern(777, 5)]);
    expect(file.direct).toBe(false);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it("writes to a device with ordinary writes", async () => {
    const file = await openOutputFile("/dev/null", 8192);
    expect(file.direct).toBe(false);
    await writeAll(file, [pattern(20000)]);
  });

  it("says which file it cannot write, and why", async () => {
    const path = join(scratch, "missing", "out.arrow");
    await expect(openOutputFile(path)).rejects.toThrow(`cannot write ${path} (ENOENT: no such file or directory, open '${path}')`);
  });
});
