import { describe, expect, it } from "vitest";
import { roomLabel, tabTitle } from "../src/room/room-label.ts";

describe("room labels", () => {
  it("shows the room's name, or a friendly fallback when it has none", () => {
    expect(roomLabel("Q3 plans")).toBe("Q3 plans");
    expect(roomLabel("")).toBe("Untitled room");
  });

  it("titles the tab '<name> — Edgeroom' in a room and 'Edgeroom' elsewhere", () => {
    expect(tabTitle("Q3 plans")).toBe("Q3 plans — Edgeroom");
    expect(tabTitle("")).toBe("Untitled room — Edgeroom");
    expect(tabTitle(undefined)).toBe("Edgeroom");
  });
});
