import { describe, expect, it } from "vitest";
import {
  PALETTE,
  colorDistance,
  contrastRatio,
  hueOf,
  labelTextColor,
  nearestPaletteColor,
} from "../src/lib/palette.ts";
import { chooseRoomColor } from "../src/lib/room-color.ts";

describe("palette", () => {
  it("has twelve colours whose label text reads at 4.5:1 or better", () => {
    expect(new Set(PALETTE).size).toBe(12);
    for (const color of PALETTE) {
      expect(contrastRatio(color, labelTextColor(color)), color).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("computes WCAG contrast as the spec's examples do", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    // The old orange under white text, which the issue measured.
    expect(contrastRatio("#e67700", "#ffffff")).toBeCloseTo(3.0, 1);
  });

  it("picks text that reads best: dark on light colours, white on dark ones", () => {
    expect(labelTextColor("#fcc419")).toBe("#111111");
    expect(labelTextColor("#1971c2")).toBe("#ffffff");
    expect(labelTextColor("not a colour")).toBe("#111111");
  });

  it("keeps every two colours apart in hue and to the eye", () => {
    for (const a of PALETTE) {
      for (const b of PALETTE) {
        if (a >= b) continue;
        const apart = Math.abs(hueOf(a) - hueOf(b));
        expect(Math.min(apart, 360 - apart), `${a} ${b} hue`).toBeGreaterThanOrEqual(18);
        expect(colorDistance(a, b), `${a} ${b} ΔE`).toBeGreaterThanOrEqual(25);
      }
    }
  });

  it("maps a colour from the old palette to its nearest current one", () => {
    expect(nearestPaletteColor("#1971c2")).toBe("#1971c2");
    expect(nearestPaletteColor("#e67700")).toBe("#f76707");
    expect(PALETTE).toContain(nearestPaletteColor("#5c7cfa"));
  });
});

describe("least-used colour per room", () => {
  const first = () => 0;
  const last = () => 0.999_999;

  it("an empty room: any colour, chosen at random", () => {
    expect(chooseRoomColor({ taken: [], random: first })).toBe(PALETTE[0]);
    expect(chooseRoomColor({ taken: [], random: last })).toBe(PALETTE[11]);
  });

  it("a partial room: never a colour someone present wears", () => {
    const taken = PALETTE.slice(0, 5);
    for (const random of [first, last, () => 0.5, Math.random]) {
      const color = chooseRoomColor({ taken, random });
      expect(taken).not.toContain(color);
      expect(PALETTE).toContain(color);
    }
  });

  it("all twelve worn: one of the least worn", () => {
    const taken = [...PALETTE, PALETTE[3], PALETTE[3], PALETTE[7]];
    const colors = new Set(
      Array.from({ length: 200 }, () => chooseRoomColor({ taken, random: Math.random })),
    );
    expect(colors.has(PALETTE[3])).toBe(false);
    expect(colors.has(PALETTE[7])).toBe(false);
    expect(colors.size).toBe(10);
  });

  it("breaks ties at random, so two people joining at once rarely meet", () => {
    const taken = PALETTE.slice(0, 4);
    const colors = new Set(
      Array.from({ length: 400 }, () => chooseRoomColor({ taken, random: Math.random })),
    );
    expect(colors.size).toBe(8);
  });

  it("keeps the remembered colour while it is among the least used, and drops it once someone took it", () => {
    expect(chooseRoomColor({ taken: [PALETTE[0]], remembered: PALETTE[5], random: first })).toBe(PALETTE[5]);
    const taken = [PALETTE[5]];
    expect(chooseRoomColor({ taken, remembered: PALETTE[5], random: first })).toBe(PALETTE[0]);
    // Past twelve the remembered colour stays as long as nothing is less used.
    const full = [...PALETTE];
    expect(chooseRoomColor({ taken: full, remembered: PALETTE[5], random: first })).toBe(PALETTE[5]);
  });

  it("ignores colours outside the palette (a token's colour, an old client's)", () => {
    expect(chooseRoomColor({ taken: ["#123456", "#123456"], random: first })).toBe(PALETTE[0]);
  });
});
