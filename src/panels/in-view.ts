/*
 * Parts of a figure that draw only what is scrolled into view (a long forest's rows), and how an
 * export, which needs all of the figure, has them drawn whole for a moment.
 */

/** Per part: draw all of it, and give back the function that returns it to drawing its view. */
const parts = new WeakMap<Element, () => () => void>();

/** Declare `element` a part that draws only its view; `drawWhole` draws all of it. */
export function drawsInView(element: Element, drawWhole: () => () => void): void {
  parts.set(element, drawWhole);
}

/** Draw whole every part of `node` (itself included) that draws only its view; call the result to go back. */
export function drawWhole(node: Element): () => void {
  const back = [node, ...node.querySelectorAll("*")].flatMap((element) => {
    const draw = parts.get(element);
    return draw ? [draw()] : [];
  });
  return () => back.forEach((b) => b());
}
