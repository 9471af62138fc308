import { encodeAwarenessFrame, parseYFrame, readAwarenessUser, ROOM_FRAME_LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { applyRemoteAwareness } from "../src/connection/remote-awareness.ts";

/** What a room running old code would relay: states exactly as a hostile client wrote them. */
function relayedFrame(states: Record<number, unknown>) {
  const frame = encodeAwarenessFrame(
    Object.entries(states).map(([id, state]) => ({
      clientId: Number(id),
      clock: 1,
      stateJson: JSON.stringify(state),
    })),
  );
  const parsed = parseYFrame(frame, ROOM_FRAME_LIMITS);
  if (!parsed.ok || parsed.value.kind !== "awareness") throw new Error("not an awareness frame");
  return parsed.value.entries;
}

describe("remote awareness", () => {
  it("never lets a listener see an invalid user, even during the change event", () => {
    const awareness = new Awareness(new Y.Doc());
    const seenUsers: unknown[] = [];
    // Registered like y-codemirror.next's remote carets: reads states synchronously on `change`.
    awareness.on("change", () => {
      for (const [id, state] of awareness.getStates())
        if (id !== awareness.clientID && state["user"] !== undefined) seenUsers.push(state["user"]);
    });
    applyRemoteAwareness(
      awareness,
      relayedFrame({
        11: { user: { name: "Eve", color: "red;position:fixed;inset:0;background:url(//x)" } },
        12: { user: { name: "Eve\u0007", color: "#123456" } },
        13: { user: { name: "Ada", color: "#123456", colorLight: "#12345633" }, status: "idle" },
        14: { user: ["not", "an", "object"] },
      }),
      "remote",
    );
    expect(seenUsers.length).toBeGreaterThan(0);
    for (const user of seenUsers) expect(readAwarenessUser({ user })).toEqual(user);
    expect(awareness.getStates().get(13)).toEqual({
      user: { name: "Ada", color: "#123456", colorLight: "#d0d6dd" },
      status: "idle",
    });
    expect(awareness.getStates().get(11)).toEqual({});
    awareness.destroy();
  });

  it("still removes a client that left", () => {
    const awareness = new Awareness(new Y.Doc());
    applyRemoteAwareness(
      awareness,
      relayedFrame({ 21: { user: { name: "Bo", color: "#123456" } } }),
      "remote",
    );
    expect(awareness.getStates().has(21)).toBe(true);
    applyRemoteAwareness(awareness, [{ clientId: 21, clock: 2, stateJson: "null" }], "remote");
    expect(awareness.getStates().has(21)).toBe(false);
    awareness.destroy();
  });
});
