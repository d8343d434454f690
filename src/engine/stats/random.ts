/**
 * A seeded stream of uniforms on the open interval (0, 1) (mulberry32): reproducible simulations
 * and benchmark draws. Never 0, so `Math.log(uniform())` is finite.
 */
export function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 2 ** 32;
  };
}
