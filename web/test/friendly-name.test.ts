import { describe, expect, it } from "vitest";
import { FRIENDLY_NAME_COUNT, friendlyName, isFriendlyName } from "../src/lib/friendly-name.ts";
import { cleanDisplayName } from "@edgeroom/shared";

describe("friendly guest names", () => {
  it("are an adjective and an animal, valid display names", () => {
    for (let i = 0; i < 50; i++) {
      const name = friendlyName(Math.random);
      expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      expect(isFriendlyName(name)).toBe(true);
      expect(cleanDisplayName(name)).toBe(name);
    }
  });

  it("differ between visitors", () => {
    const names = new Set(Array.from({ length: 100 }, () => friendlyName(Math.random)));
    expect(names.size).toBeGreaterThan(80);
    expect(FRIENDLY_NAME_COUNT).toBeGreaterThanOrEqual(500);
  });

  it("never take a name someone present has, while one is left", () => {
    const taken = new Set<string>();
    for (let i = 0; i < FRIENDLY_NAME_COUNT; i++) taken.add(friendlyName(() => 0.5, taken));
    expect(taken.size).toBe(FRIENDLY_NAME_COUNT);
    expect(friendlyName(() => 0, ["calm otter"].concat([]))).not.toBe("Calm Otter");
  });

  it("are never 'Guest'", () => {
    expect(isFriendlyName("Guest")).toBe(false);
  });
});
