/**
 * mulberry32: a tiny seeded PRNG, so a failing randomized test replays
 * exactly from its seed (Math.random cannot be seeded).
 */
export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const integer = (random: Random, below: number): number => Math.floor(random() * below);

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[integer(random, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
