import { drawsInView } from "./in-view.ts";

/*
 * Rows drawn only near the view of the box they scroll in: an SVG node per mark for thousands of
 * rows takes the page hundreds of milliseconds to build and lay out, a screenful takes a few.
 * The rows are cut into blocks of a fixed number; a block is drawn (as an element of its own)
 * when it comes within half a view of what is shown and dropped when it leaves, so each scroll
 * draws at most a few blocks. The track keeps the height of all rows, so the scroll bar, the
 * positions and an export (which draws every block) are those of the whole chart.
 */

export interface RowBlocksOptions {
  /** Rows in all, and each one's height in pixels. */
  count: number;
  rowHeight: number;
  /** Rows per block. */
  blockRows: number;
  /** Pixels of the scrolling box's content above the track, and of the track above its first row. */
  offset: number;
  padding: number;
  /** The view's height while the box is not laid out yet (it is not in the page when first drawn). */
  viewHeight: number;
  /** One block: rows start…end − 1, its top at the top of the first. */
  draw(start: number, end: number): HTMLElement | SVGElement;
}

/** Blocks overlapping pixels top…bottom of the rows (clamped to the blocks there are). */
export function blocksBetween(top: number, bottom: number, blockHeight: number, blocks: number): [number, number] {
  const first = Math.min(blocks - 1, Math.max(0, Math.floor(top / blockHeight)));
  const last = Math.min(blocks - 1, Math.ceil(bottom / blockHeight) - 1);
  return [first, Math.max(first, last)];
}

/** The track of rows inside `scroller`, drawing the blocks near its view as it scrolls. */
export function rowBlocks(scroller: HTMLElement, options: RowBlocksOptions): HTMLElement {
  const { count, rowHeight, blockRows, offset, padding, viewHeight, draw } = options;
  const blockHeight = blockRows * rowHeight;
  const blocks = Math.max(1, Math.ceil(count / blockRows));
  const track = document.createElement("div");
  track.className = "row-blocks";
  track.style.cssText = `position: relative; height: ${padding + count * rowHeight}px;`;
  const drawn = new Map<number, Element>();

  const show = (first: number, last: number) => {
    for (const [b, element] of drawn) {
      if (b < first || b > last) {
        element.remove();
        drawn.delete(b);
      }
    }
    // In row order, so the page reads top to bottom.
    let next: Element | null = null;
    for (let b = last; b >= first; b--) {
      const element = drawn.get(b);
      if (element) {
        next = element;
        continue;
      }
      const start = b * blockRows;
      const block = draw(start, Math.min(count, start + blockRows));
      Object.assign(block.style, { position: "absolute", left: "0", top: `${padding + start * rowHeight}px` });
      track.insertBefore(block, next);
      drawn.set(b, block);
      next = block;
    }
  };
  const showView = () => {
    const view = scroller.clientHeight || viewHeight;
    const top = scroller.scrollTop - offset - padding;
    show(...blocksBetween(top - view / 2, top + view * 1.5, blockHeight, blocks));
  };
  showView();
  scroller.addEventListener("scroll", showView, { passive: true });
  drawsInView(track, () => {
    show(0, blocks - 1);
    return showView;
  });
  return track;
}
