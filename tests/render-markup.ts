/** A figure's markup, with Plot's per-figure class names (random) made stable, for snapshot files. */
export function markup(node: Element): string {
  const classes = new Map<string, string>();
  return node.outerHTML.replace(/plot-[0-9a-f]{6,}/g, (c) => {
    if (!classes.has(c)) classes.set(c, `plot-${classes.size}`);
    return classes.get(c)!;
  });
}
