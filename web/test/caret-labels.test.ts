import { describe, expect, it } from "vitest";
import { caretLabel, labelFoldsAt, personKey } from "../src/editor/caret-labels.ts";

const shownMs = 2_000;

describe("caret labels", () => {
  it("show the name while the person acts and folds to a flag after the idle time", () => {
    expect(caretLabel({ now: 1_000, caretAt: 1_000, pointerAt: undefined, shownMs })).toBe("name");
    expect(caretLabel({ now: 2_999, caretAt: 1_000, pointerAt: undefined, shownMs })).toBe("name");
    expect(caretLabel({ now: 3_000, caretAt: 1_000, pointerAt: undefined, shownMs })).toBe("flag");
    expect(labelFoldsAt({ now: 1_500, caretAt: 1_000, pointerAt: undefined, shownMs })).toBe(3_000);
    expect(labelFoldsAt({ now: 3_500, caretAt: 1_000, pointerAt: undefined, shownMs })).toBeUndefined();
  });

  it("a caret that has not moved since the page opened is a flag", () => {
    expect(caretLabel({ now: 10_000, caretAt: 0, pointerAt: undefined, shownMs })).toBe("flag");
  });

  it("give the name to the pointer when it moved after the caret", () => {
    expect(caretLabel({ now: 1_500, caretAt: 1_000, pointerAt: 1_200, shownMs })).toBe("flag");
    expect(caretLabel({ now: 1_500, caretAt: 1_300, pointerAt: 1_200, shownMs })).toBe("name");
  });

  it("match a pointer and a caret by name and colour", () => {
    expect(personKey({ name: "Ada", color: "#c92a2a" })).toBe(personKey({ name: "Ada", color: "#c92a2a" }));
    expect(personKey({ name: "Ada", color: "#c92a2a" })).not.toBe(
      personKey({ name: "Ada", color: "#1971c2" }),
    );
  });
});
