import { LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import {
  fitEditors,
  metadataBytes,
  readCustomMetadata,
  toCustomMetadata,
} from "../../src/snapshots/snapshot-metadata.ts";
import { integer, pick, type Random, seeded } from "@edgeroom/testkit";

/** Characters that cost the most in stored metadata, and plain ones. */
const KINDS: Array<(random: Random) => string> = [
  (r) => String.fromCharCode(integer(r, 32)), // control: 6 bytes in JSON
  (r) => String.fromCharCode(0xa0 + integer(r, 0x60)), // Latin-1
  (r) => String.fromCharCode(0x4e00 + integer(r, 0x1000)), // CJK: 3 bytes in UTF-8
  (r) => String.fromCodePoint(0x1f600 + integer(r, 0x40)), // emoji: a surrogate pair
  (r) => String.fromCharCode(0xd800 + integer(r, 0x400)), // a lone surrogate: escaped by JSON
  (r) => String.fromCharCode(0x61 + integer(r, 26)),
];

function randomName(random: Random): string {
  const kind = pick(random, KINDS);
  return Array.from({ length: 1 + integer(random, LIMITS.maxNameLength) }, () => kind(random)).join("");
}

describe("snapshot metadata", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("always fits the budget, whatever the names (seed %i)", (seed) => {
    const random = seeded(seed);
    for (let round = 0; round < 50; round += 1) {
      const names = Array.from({ length: 1 + integer(random, 20) }, () => randomName(random));
      const access = { private: random() < 0.5 };
      const editors = fitEditors(names, access);
      const metadata = toCustomMetadata(editors, access);
      expect(metadataBytes(metadata)).toBeLessThanOrEqual(LIMITS.snapshotMetadataBytes);
      expect(readCustomMetadata(metadata)).toEqual({ editors, access });
      for (const editor of editors) expect(editor).not.toMatch(/\p{Cc}/u);
    }
  });

  it("keeps ordinary names whole and says nothing about access on public rooms", () => {
    const names = ["Ada", "Bo", "Grace Hopper"];
    expect(fitEditors(names, { private: false })).toEqual(names);
    expect(toCustomMetadata(names, { private: false })).toEqual({ editors: JSON.stringify(names) });
    expect(readCustomMetadata(undefined)).toEqual({ editors: [], access: { private: false } });
  });
});
