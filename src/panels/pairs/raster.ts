import type { View } from "./data.ts";

/**
 * A scatter drawn into pixels rather than one SVG node per point: points are accumulated per
 * device pixel (count and colour sums), then composed so a pixel's colour is the mean of its
 * points' colours and its opacity grows with their number. Pure typed-array loops, so it also
 * runs (and is tested) without a DOM; `paint` hands the pixels to a canvas.
 */

/** A rectangle in device pixels on the raster. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Points to draw: positions in data units and, per point, an index into `palette` (or one colour for all). */
export interface PointLayer {
  x: Float64Array;
  y: Float64Array;
  /** Palette index per point; without it every point takes palette[0]. */
  color?: Int32Array;
  /** Colours as 0xRRGGBB. */
  palette: Uint32Array;
  /** Only these points (indices into x and y), when given. */
  rows?: Int32Array;
}

/** pixel = value·scale + offset: the linear map of [d0, d1] onto [r0, r1] (r1 < r0 flips an axis). */
export function linearMap(d0: number, d1: number, r0: number, r1: number): { scale: number; offset: number } {
  const scale = (r1 - r0) / (d1 - d0);
  return { scale, offset: r0 - d0 * scale };
}

/** A CSS colour as Plot's scales give them ("#rrggbb", "#rgb", "rgb(r, g, b)") packed as 0xRRGGBB. */
export function parseColor(css: string): number {
  const text = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join("") : hex[1];
    return parseInt(digits, 16);
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(text);
  if (rgb) return (clampByte(rgb[1]) << 16) | (clampByte(rgb[2]) << 8) | clampByte(rgb[3]);
  throw new TypeError(`cannot read the colour '${css}'`);
}

function clampByte(text: string): number {
  return Math.max(0, Math.min(255, Math.round(Number(text))));
}

export class PixelRaster {
  readonly width: number;
  readonly height: number;
  /** RGBA bytes, ready for an ImageData. */
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  readonly #out: Uint32Array;
  /** Per pixel: point count, then red, green and blue sums, side by side so one point touches one cache line. */
  readonly #sums: Uint32Array;
  /** Opacity after k points on a pixel, 1 - (1 - alpha)^k, as bytes. */
  #opacity = new Uint8Array(0);

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8ClampedArray(width * height * 4);
    this.#out = new Uint32Array(this.pixels.buffer);
    this.#sums = new Uint32Array(width * height * 4);
  }

  clear(): void {
    this.#sums.fill(0);
    this.#out.fill(0);
  }

  /** Add a layer's points that fall in `view` to the accumulators, as `size`×`size` squares in `rect`. */
  accumulate(layer: PointLayer, view: View, rect: PixelRect, size: number): number {
    const { x, y, color, palette, rows } = layer;
    const sx = linearMap(view.x0, view.x1, rect.left, rect.left + rect.width);
    const sy = linearMap(view.y0, view.y1, rect.top + rect.height, rect.top);
    const kx = sx.scale;
    const ky = sy.scale;
    const ox = sx.offset - size / 2;
    const oy = sy.offset - size / 2;
    const left = rect.left;
    const top = rect.top;
    const right = rect.left + rect.width - size;
    const bottom = rect.top + rect.height - size;
    const sums = this.#sums;
    const w = this.width;
    const n = rows ? rows.length : x.length;
    let drawn = 0;
    for (let k = 0; k < n; k++) {
      const i = rows ? rows[k] : k;
      // NaN fails every comparison below, so missing values are skipped too.
      const px = Math.floor(x[i] * kx + ox);
      const py = Math.floor(y[i] * ky + oy);
      if (!(px >= left && px <= right && py >= top && py <= bottom)) continue;
      const c = palette[color ? color[i] : 0];
      const r = c >>> 16;
      const g = (c >>> 8) & 255;
      const b = c & 255;
      for (let dy = 0; dy < size; dy++) {
        let at = ((py + dy) * w + px) << 2;
        for (let dx = 0; dx < size; dx++, at += 4) {
          sums[at]++;
          sums[at + 1] += r;
          sums[at + 2] += g;
          sums[at + 3] += b;
        }
      }
      drawn++;
    }
    return drawn;
  }

  /** Turn the accumulators into pixels: mean colour, opacity 1 - (1 - alpha)^points. */
  compose(alpha: number): void {
    if (this.#opacity.length === 0 || this.#opacity[1] !== Math.round(255 * alpha)) {
      this.#opacity = Uint8Array.from({ length: 64 }, (_, k) => Math.round(255 * (1 - (1 - alpha) ** k)));
    }
    const opacity = this.#opacity;
    const last = opacity.length - 1;
    const sums = this.#sums;
    const out = this.#out;
    for (let at = 0, s = 0; at < out.length; at++, s += 4) {
      const k = sums[s];
      if (k === 0) continue;
      const a = opacity[k < last ? k : last];
      // ImageData is RGBA in memory: little-endian 32-bit words read ABGR.
      out[at] = ((a << 24) | (((sums[s + 3] / k) | 0) << 16) | (((sums[s + 2] / k) | 0) << 8) | ((sums[s + 1] / k) | 0)) >>> 0;
    }
  }

  /** Draw a layer's points opaque on top of what is composed (few points that must stand out). */
  stamp(layer: PointLayer, view: View, rect: PixelRect, size: number): number {
    const { x, y, palette, color, rows } = layer;
    const sx = linearMap(view.x0, view.x1, rect.left, rect.left + rect.width);
    const sy = linearMap(view.y0, view.y1, rect.top + rect.height, rect.top);
    const half = size / 2;
    const n = rows ? rows.length : x.length;
    let drawn = 0;
    for (let k = 0; k < n; k++) {
      const i = rows ? rows[k] : k;
      const px = Math.floor(x[i] * sx.scale + sx.offset - half);
      const py = Math.floor(y[i] * sy.scale + sy.offset - half);
      if (!(px >= rect.left && px <= rect.left + rect.width - size && py >= rect.top && py <= rect.top + rect.height - size)) continue;
      const c = palette[color ? color[i] : 0];
      const word = (0xff000000 | ((c & 255) << 16) | (c & 0xff00) | (c >>> 16)) >>> 0;
      for (let dy = 0; dy < size; dy++) this.#out.fill(word, (py + dy) * this.width + px, (py + dy) * this.width + px + size);
      drawn++;
    }
    return drawn;
  }

  /** Copy the pixels onto a canvas of the same device size. */
  paint(canvas: HTMLCanvasElement): void {
    const context = canvas.getContext("2d");
    if (!context) return;
    context.putImageData(new ImageData(this.pixels, this.width, this.height), 0, 0);
  }
}

/**
 * The layer's points reordered by a coarse grid over `view` (row of cells by row of cells), so
 * drawing them walks the pixel buffers nearly in order instead of at random: on 400k points this
 * is several times faster. Colours are averaged per pixel, so the order does not change the picture.
 */
export function spatiallySorted(layer: PointLayer, view: View, cells = 64): PointLayer {
  const { x, y, color } = layer;
  const n = x.length;
  const key = new Int32Array(n);
  const starts = new Int32Array(cells * cells + 1);
  const kx = cells / (view.x1 - view.x0);
  const ky = cells / (view.y1 - view.y0);
  for (let i = 0; i < n; i++) {
    // NaN and points outside the view share the edge cells; they are skipped when drawn.
    const cx = Math.min(cells - 1, Math.max(0, Math.floor((x[i] - view.x0) * kx) || 0));
    const cy = Math.min(cells - 1, Math.max(0, Math.floor((view.y1 - y[i]) * ky) || 0));
    key[i] = cy * cells + cx;
    starts[key[i] + 1]++;
  }
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  const sc = color ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const at = starts[key[i]]++;
    sx[at] = x[i];
    sy[at] = y[i];
    if (sc) sc[at] = color![i];
  }
  return { x: sx, y: sy, color: sc, palette: layer.palette };
}
