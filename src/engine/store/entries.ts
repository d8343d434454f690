/**
 * Helpers for stores whose keys are known up front (zips, dropped file lists): drop operating
 * system litter, strip the one top folder a zip or a folder pick adds, and list folders.
 */

const ROOT_METADATA = [".zgroup", ".zmetadata", "zarr.json"];

function isLitter(path: string): boolean {
  const parts = path.split("/");
  return parts[0] === "__MACOSX" || parts.some((p) => p.startsWith("._") || p === ".DS_Store" || p === "Thumbs.db");
}

/**
 * Map each kept file path to its key inside the Zarr store. When no Zarr root metadata sits at the
 * top but every path shares one top folder, that folder is the store's root.
 */
export function storeKeys(paths: Iterable<string>): Map<string, string> {
  const kept = [...paths].filter((p) => !p.endsWith("/") && !isLitter(p));
  const atRoot = kept.some((p) => ROOT_METADATA.includes(p));
  const tops = new Set(kept.map((p) => (p.includes("/") ? p.slice(0, p.indexOf("/")) : "")));
  const strip = !atRoot && tops.size === 1 && !tops.has("") ? `${[...tops][0]}/` : "";
  return new Map(kept.map((p) => [p.slice(strip.length), p]));
}

/** A folder listing over a fixed set of keys. */
export function listKeys(keys: Iterable<string>): (folder: string) => Promise<string[]> {
  const children = new Map<string, Set<string>>();
  for (const key of keys) {
    const parts = key.split("/");
    for (let i = 0; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      let set = children.get(folder);
      if (!set) children.set(folder, (set = new Set()));
      set.add(parts[i]);
    }
  }
  return async (folder) => [...(children.get(folder.replace(/^\/|\/$/g, "")) ?? [])];
}
