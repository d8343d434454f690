import { describe, expect, it } from "vitest";
import { dimDomain, intTypeFor } from "../src/engine/domain.ts";

describe("dimension columns take the smallest type that holds their labels", () => {
  it("integers: unsigned when none is negative, signed otherwise, by the widest label", () => {
    const typeOf = (labels: number[]) => String(intTypeFor(labels));
    expect(typeOf([0, 1, 2, 3])).toBe("Uint8");
    expect(typeOf([0, 255])).toBe("Uint8");
    expect(typeOf([0, 999])).toBe("Uint16");
    expect(typeOf([0, 65535])).toBe("Uint16");
    expect(typeOf([65536])).toBe("Uint32");
    expect(typeOf([2 ** 32 - 1])).toBe("Uint32");
    expect(typeOf([-1, 127])).toBe("Int8");
    expect(typeOf([-128, 0])).toBe("Int8");
    expect(typeOf([-129, 0])).toBe("Int16");
    expect(typeOf([-1, 32768])).toBe("Int32");
    expect(typeOf([-(2 ** 31), 2 ** 31 - 1])).toBe("Int32");
  });

  it("numbers no integer type holds, or not integers, are float64 columns", () => {
    expect(intTypeFor([2 ** 32])).toBeUndefined();
    expect(intTypeFor([-1, 2 ** 31])).toBeUndefined();
    expect(intTypeFor([0, 0.5])).toBeUndefined();
    expect(String(dimDomain("x", [[0, 0.5]]).type)).toBe("Float64");
  });

  it("a dimension stacked from several sources fits all their labels, and encodes them as they are", () => {
    const domain = dimDomain("draw", [
      [0, 1, 2],
      [0, 300],
    ]);
    expect(String(domain.type)).toBe("Uint16");
    expect(domain.encode([300, 2])).toEqual(Uint16Array.of(300, 2));
    expect(domain.allocate(3)).toBeInstanceOf(Uint16Array);
  });
});
