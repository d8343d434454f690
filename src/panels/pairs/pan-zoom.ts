import type { View } from "./data.ts";

/** Where the data's frame is on the page, in CSS pixels (client coordinates). */
export interface FrameBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Zoom by `factor` (> 1 zooms in) keeping the data point under (fx, fy) in place; fx and fy are
 * fractions of the frame from its left and from its top.
 */
export function zoomView(view: View, factor: number, fx: number, fy: number): View {
  const x = view.x0 + fx * (view.x1 - view.x0);
  const y = view.y1 - fy * (view.y1 - view.y0);
  return {
    x0: x - (x - view.x0) / factor,
    x1: x + (view.x1 - x) / factor,
    y0: y - (y - view.y0) / factor,
    y1: y + (view.y1 - y) / factor,
  };
}

/** Move the view with the pointer: (dx, dy) is the drag as fractions of the frame (y down). */
export function panView(view: View, dx: number, dy: number): View {
  const sx = dx * (view.x1 - view.x0);
  const sy = dy * (view.y1 - view.y0);
  return { x0: view.x0 - sx, x1: view.x1 - sx, y0: view.y0 + sy, y1: view.y1 + sy };
}

/** Wheel notches to zoom: one notch (100 px of deltaY) is about ×1.2. */
const WHEEL_ZOOM = 0.0018;
const KEY_ZOOM = 1.25;
const KEY_PAN = 0.1;

/**
 * Wheel zooms around the pointer, drag pans, double-click (or 0) resets; arrows pan and + / −
 * zoom from the keyboard. Changes are drawn once per animation frame; the element's
 * `data-frame-ms` holds the last redraw's duration and `data-frames` counts redraws.
 */
export function attachPanZoom(element: HTMLElement, frameBox: () => FrameBox, home: View, redraw: (view: View) => void): void {
  let view = home;
  let pending = false;
  let frames = 0;
  const update = (next: View) => {
    view = next;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const start = performance.now();
      redraw(view);
      element.dataset.frameMs = (performance.now() - start).toFixed(1);
      element.dataset.frames = String(++frames);
    });
  };
  const local = (event: MouseEvent) => {
    const frame = frameBox();
    return { fx: (event.clientX - frame.left) / frame.width, fy: (event.clientY - frame.top) / frame.height };
  };
  const inside = ({ fx, fy }: { fx: number; fy: number }) => fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;

  element.addEventListener(
    "wheel",
    (event) => {
      const at = local(event);
      if (!inside(at)) return;
      event.preventDefault();
      const delta = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 40 : event.deltaY;
      update(zoomView(view, Math.exp(-delta * WHEEL_ZOOM), at.fx, at.fy));
    },
    { passive: false },
  );
  let drag: { fx: number; fy: number; from: View } | undefined;
  element.addEventListener("pointerdown", (event) => {
    const at = local(event);
    if (event.button !== 0 || !inside(at)) return;
    element.setPointerCapture(event.pointerId);
    drag = { ...at, from: view };
    element.style.cursor = "grabbing";
  });
  element.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const at = local(event);
    update(panView(drag.from, at.fx - drag.fx, at.fy - drag.fy));
  });
  const endDrag = () => {
    drag = undefined;
    element.style.cursor = "grab";
  };
  element.addEventListener("pointerup", endDrag);
  element.addEventListener("pointercancel", endDrag);
  element.addEventListener("dblclick", (event) => {
    if (inside(local(event))) update(home);
  });
  element.addEventListener("keydown", (event) => {
    const moves: Record<string, () => View> = {
      ArrowLeft: () => panView(view, KEY_PAN, 0),
      ArrowRight: () => panView(view, -KEY_PAN, 0),
      ArrowUp: () => panView(view, 0, KEY_PAN),
      ArrowDown: () => panView(view, 0, -KEY_PAN),
      "+": () => zoomView(view, KEY_ZOOM, 0.5, 0.5),
      "=": () => zoomView(view, KEY_ZOOM, 0.5, 0.5),
      "-": () => zoomView(view, 1 / KEY_ZOOM, 0.5, 0.5),
      "0": () => home,
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    update(move());
  });
  element.style.cursor = "grab";
  element.style.touchAction = "none";
}
