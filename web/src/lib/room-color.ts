/**
 * Which colour a person wears in one room: the least-used one among the
 * people present, so two people share a colour only when more than twelve are
 * here. The choice is remembered per room, and kept on the next visit unless
 * someone else has taken it meanwhile while a less-used one is free.
 */
import { PALETTE, isPaletteColor } from "./palette.ts";

const KEY_PREFIX = "edgeroom:room-color:";

export interface RoomColorChoice {
  /** Colours of everyone else present (one entry per person, self excluded). */
  taken: readonly string[];
  /** This browser's colour from an earlier visit to this room, if any. */
  remembered?: string | undefined;
  /** 0 ≤ random() < 1; ties among the least-used are broken with it, so simultaneous joiners rarely collide. */
  random: () => number;
  palette?: readonly string[];
}

export function chooseRoomColor({ taken, remembered, random, palette = PALETTE }: RoomColorChoice): string {
  const uses = new Map<string, number>(palette.map((color) => [color, 0]));
  for (const color of taken) {
    const count = uses.get(color);
    if (count !== undefined) uses.set(color, count + 1);
  }
  const fewest = Math.min(...uses.values());
  if (remembered !== undefined && uses.get(remembered) === fewest) return remembered;
  const leastUsed = palette.filter((color) => uses.get(color) === fewest);
  const index = Math.min(leastUsed.length - 1, Math.floor(random() * leastUsed.length));
  return leastUsed[index] ?? palette[0] ?? PALETTE[0];
}

export function loadRoomColor(roomId: string): string | undefined {
  try {
    const color = localStorage.getItem(KEY_PREFIX + roomId);
    return color !== null && isPaletteColor(color) ? color : undefined;
  } catch {
    return undefined;
  }
}

export function saveRoomColor(roomId: string, color: string): void {
  try {
    localStorage.setItem(KEY_PREFIX + roomId, color);
  } catch {
    // Private mode or a full store: the colour is still right for this visit.
  }
}

export function cryptoRandom(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32;
}

export function forgetRoomColor(roomId: string): void {
  try {
    localStorage.removeItem(KEY_PREFIX + roomId);
  } catch {
    // Storage refused (a third-party frame): nothing was kept.
  }
}
