import { color as parseColor } from "d3-color";
import { DrawscopeError } from "../engine/errors.ts";
import { drawWhole } from "../panels/in-view.ts";

/** An export that could not be made: a figure that cannot be rasterised, a canvas that cannot be read. */
export class ExportError extends DrawscopeError {
  override name = "ExportError";
  override readonly tag = "export";
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** PNGs are drawn at twice the figure's CSS size, whatever the screen: sharp on any display, the same file everywhere. */
const PNG_SCALE = 2;

/**
 * Style properties copied from the page onto an exported SVG's elements, so the file does not
 * depend on the page's style sheets, `currentColor`, `inherit` or the theme.
 * These are inherited: an element gets one when it differs from its parent's.
 */
const INHERITED = [
  "color",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-opacity",
  "stroke-width",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-linecap",
  "stroke-linejoin",
  "paint-order",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "letter-spacing",
  "text-anchor",
  "dominant-baseline",
  "white-space",
  "visibility",
] as const;
/** Not inherited: an element gets one when it is not the initial value. */
const NOT_INHERITED: Record<string, string> = { opacity: "1", "mix-blend-mode": "normal" };
/** Elements never drawn where they stand (definitions, titles): kept whatever their display says. */
const NOT_DRAWN = new Set(["defs", "clipPath", "mask", "marker", "pattern", "linearGradient", "radialGradient", "symbol", "filter", "title", "desc", "metadata"]);
/** Attributes that may say `currentColor`, which a file on its own would resolve to black. */
const COLOR_ATTRIBUTES = ["fill", "stroke", "stop-color", "flood-color", "lighting-color"];

/** A standalone SVG document of a figure, and its size in CSS pixels. */
export interface FigureSvg {
  text: string;
  width: number;
  height: number;
}

const px = (n: number) => String(Math.round(n * 100) / 100);

function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** Whether a computed CSS colour lets the colour behind show through (one d3-color cannot read is taken as painted). */
function transparent(color: string): boolean {
  return parseColor(color)?.opacity === 0;
}

/** The colour painted behind an element: its own background or the nearest ancestor's. */
function backdrop(node: Element): string {
  for (let at: Element | null = node; at; at = at.parentElement) {
    const color = getComputedStyle(at).backgroundColor;
    if (!transparent(color)) return color;
  }
  return "rgb(255, 255, 255)";
}

/** True when a figure draws something an image can hold (an SVG or a canvas), not only HTML such as a table. */
export function isGraphic(node: Element): boolean {
  return node instanceof SVGSVGElement || node instanceof HTMLCanvasElement || node.querySelector("svg, canvas") !== null;
}

/** Copy the computed styles of `live` and its descendants onto `clone`, an identical deep copy. */
function inlineStyles(live: Element, clone: Element, parent: CSSStyleDeclaration | undefined): void {
  const style = getComputedStyle(live);
  const target = (clone as SVGElement).style;
  for (const property of INHERITED) {
    const value = style.getPropertyValue(property);
    if (!parent || value !== parent.getPropertyValue(property) || live.hasAttribute(property)) target.setProperty(property, value);
  }
  for (const [property, initial] of Object.entries(NOT_INHERITED)) {
    const value = style.getPropertyValue(property);
    if (value !== initial) target.setProperty(property, value);
  }
  for (const attribute of COLOR_ATTRIBUTES) {
    if (clone.getAttribute(attribute)?.toLowerCase() === "currentcolor") clone.setAttribute(attribute, style.color);
  }
  const liveChildren = live.children;
  const cloneChildren = [...clone.children];
  for (let i = 0; i < liveChildren.length; i++) {
    const child = liveChildren[i];
    // The page's style sheets do not travel: an element the page hid is left out, and Plot's own
    // <style> (scoped to a class, sizing the SVG for the page) is replaced by the inlined styles.
    const hidden = !NOT_DRAWN.has(child.localName) && getComputedStyle(child).display === "none";
    if (child.localName === "style" || child.localName === "script" || hidden) cloneChildren[i].remove();
    else inlineStyles(child, cloneChildren[i], style);
  }
}

/** The base line of text set in an element's font, below the top of its text box. */
function ascent(style: CSSStyleDeclaration, measure: CanvasRenderingContext2D): number {
  measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return measure.measureText("Hg").fontBoundingBoxAscent;
}

/** The lines a text node is laid out on, each with its words and box. */
function textLines(node: Text): { text: string; left: number; top: number }[] {
  const range = document.createRange();
  const lines: { words: string[]; left: number; top: number }[] = [];
  for (const word of node.data.matchAll(/\S+/g)) {
    range.setStart(node, word.index);
    range.setEnd(node, word.index + word[0].length);
    const box = range.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const line = lines.at(-1);
    if (line && Math.abs(line.top - box.top) < 1) line.words.push(word[0]);
    else lines.push({ words: [word[0]], left: box.left, top: box.top });
  }
  return lines.map((l) => ({ text: l.words.join(" "), left: l.left, top: l.top }));
}

/**
 * Everything a figure draws, as SVG at its place inside the figure: nested SVGs (with computed
 * styles inlined), canvases as PNG images, HTML text (a legend's labels) as <text> on the same
 * base line, HTML backgrounds (colour swatches drawn as boxes) as rectangles.
 */
function drawInto(out: SVGSVGElement, element: Element, origin: DOMRect, measure: CanvasRenderingContext2D, isRoot: boolean): void {
  const box = element.getBoundingClientRect();
  const at = { x: px(box.left - origin.left), y: px(box.top - origin.top), width: px(box.width), height: px(box.height) };
  if (element instanceof SVGSVGElement) {
    const clone = element.cloneNode(true) as SVGSVGElement;
    inlineStyles(element, clone, undefined);
    for (const [key, value] of Object.entries(at)) clone.setAttribute(key, value);
    out.append(clone);
    return;
  }
  if (element instanceof HTMLCanvasElement) {
    let href: string;
    try {
      href = element.toDataURL("image/png");
    } catch (error) {
      throw new ExportError(`a canvas of this figure cannot be read (${(error as Error).message})`);
    }
    out.append(svgElement("image", { ...at, href, preserveAspectRatio: "none" }));
    return;
  }
  const style = getComputedStyle(element);
  if (style.display === "none" || style.visibility === "hidden") return;
  if (!isRoot && !transparent(style.backgroundColor) && box.width > 0 && box.height > 0) {
    out.append(svgElement("rect", { ...at, rx: String(parseFloat(style.borderTopLeftRadius) || 0), fill: style.backgroundColor }));
  }
  for (const child of element.childNodes) {
    if (child instanceof Element) {
      if (child.localName !== "style" && child.localName !== "script") drawInto(out, child, origin, measure, false);
    } else if (child instanceof Text && child.data.trim() !== "") {
      const rise = ascent(style, measure);
      for (const line of textLines(child)) {
        const text = svgElement("text", {
          x: px(line.left - origin.left),
          y: px(line.top - origin.top + rise),
          fill: style.color,
          "font-family": style.fontFamily,
          "font-size": style.fontSize,
          "font-weight": style.fontWeight,
          "font-style": style.fontStyle,
        });
        text.textContent = line.text;
        out.append(text);
      }
    }
  }
}

/**
 * A figure as it renders, as a standalone SVG document of its rendered size: the page's colours
 * (light or dark theme) and fonts resolved to concrete values, on the panel's background colour.
 * Fonts are named (the computed family, size and weight), not embedded: the page uses the
 * system's font, which has no file to embed; the PNG export carries the exact glyphs.
 */
export function figureToSvg(node: Element): FigureSvg {
  return unrolled(node, () => drawFigure(node));
}

/**
 * Run `build` with the figure's scroll boxes opened to their full height, sticky parts put back
 * in flow and parts that draw only their view drawn whole, so a long forest exports every row
 * rather than the rows in view; restored after.
 */
function unrolled<T>(node: Element, build: () => T): T {
  const drawViews = drawWhole(node);
  const changed = [node, ...node.querySelectorAll("*")].flatMap((element) => {
    if (!(element instanceof HTMLElement)) return [];
    const style = getComputedStyle(element);
    const scrolls = /auto|scroll/.test(style.overflowY) && element.scrollHeight > element.clientHeight;
    if (!scrolls && style.position !== "sticky") return [];
    return [{ element, css: element.style.cssText, scrollTop: element.scrollTop, scrolls }];
  });
  for (const { element, scrolls } of changed) {
    if (scrolls) element.style.setProperty("max-height", "none");
    if (scrolls) element.style.setProperty("overflow-y", "visible");
    else element.style.setProperty("position", "static");
  }
  try {
    return build();
  } finally {
    for (const { element, css, scrollTop } of changed) {
      element.style.cssText = css;
      element.scrollTop = scrollTop;
    }
    drawViews();
  }
}

function drawFigure(node: Element): FigureSvg {
  const origin = node.getBoundingClientRect();
  const { width, height } = origin;
  if (width === 0 || height === 0) throw new ExportError("the figure is not on screen (it has no size), so it cannot be exported");
  const style = getComputedStyle(node);
  const out = svgElement("svg", { xmlns: SVG_NS, width: px(width), height: px(height), viewBox: `0 0 ${px(width)} ${px(height)}` });
  out.setAttribute("style", `color: ${style.color}; font-family: ${style.fontFamily}; font-size: ${style.fontSize}; font-weight: ${style.fontWeight}`);
  out.append(svgElement("rect", { width: "100%", height: "100%", fill: backdrop(node) }));
  const measure = document.createElement("canvas").getContext("2d")!;
  drawInto(out, node, origin, measure, true);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`, width, height };
}

/** An SVG document drawn into a PNG at PNG_SCALE × its size. */
export async function svgToPng(svg: FigureSvg): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode().catch(() => {
      throw new ExportError("the browser could not draw this figure's SVG as an image");
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(svg.width * PNG_SCALE);
    canvas.height = Math.round(svg.height * PNG_SCALE);
    canvas.getContext("2d")!.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new ExportError("the browser could not encode the PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name part from free text: `beta[groups], sigma` → `beta_groups_sigma`. */
function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 60) || "untitled"
  );
}

/** `drawscope-density-beta_groups.svg`: the parts (panel kind, query, ...) made safe for a file name. */
export function exportName(parts: readonly string[], extension: string): string {
  return `${["drawscope", ...parts.map(slug)].join("-")}.${extension}`;
}

/** Hand a Blob to the browser as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the URL is released a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
