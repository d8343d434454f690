import { describe, expect, it } from "vitest";
import { forEachElement } from "../src/engine/stats/draw-rows.ts";
import { drawMajor } from "./draw-major.ts";

/** `count` elements of `perElement` draws: element e's draw d is e·10,000 + d, so every value says where it belongs. */
const elementDraws = (count: number, perElement: number) => Float64Array.from({ length: count * perElement }, (_, i) => Math.floor(i / perElement) * 10_000 + (i % perElement));

describe("draws laid out by draw", () => {
  it("visit every element with its own draws in order, one element or several, across pieces that do not divide them", () => {
    for (const [count, perElement] of [[1, 5], [3, 70], [5, 1], [300, 4000]]) {
      const rows = drawMajor(elementDraws(count, perElement), count);
      const seen: number[] = [];
      forEachElement(rows, count, perElement, (e, draws) => {
        seen.push(e);
        expect(draws.length).toBe(perElement);
        expect(draws.every((v, d) => v === e * 10_000 + d)).toBe(true);
      });
      expect(seen).toEqual(Array.from({ length: count }, (_, e) => e));
    }
  });
});
