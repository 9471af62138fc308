import type { ServerAppMessage, VerifiedIdentity } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { AppLane } from "../src/connection/app-lane.ts";
import type { Identity } from "../src/lib/identity.ts";
import { effectiveIdentity, SessionIdentity } from "../src/session/identity.ts";
import { countUnreadChat, createUiStore, setChatOpen } from "../src/session/ui-store.ts";

const ada: Identity = { name: "Ada", color: "#d9480f", id: "browser-secret-ada" };
const verified: VerifiedIdentity = { id: "user-7", name: "Ada Lovelace", color: "#1971c2", scope: "edit" };

describe("session identity", () => {
  it("a verified token identity wins over the chosen one", () => {
    expect(effectiveIdentity(ada, undefined)).toEqual(ada);
    expect(effectiveIdentity(ada, verified)).toEqual({
      name: "Ada Lovelace",
      color: "#1971c2",
      id: "browser-secret-ada",
    });
  });

  it("applies a new chosen name, and nothing while a verified identity holds", () => {
    const applied: Identity[] = [];
    const identity = new SessionIdentity(ada, (next) => applied.push(next));
    identity.choose({ ...ada, name: "Ada L." });
    identity.verify(verified);
    identity.choose({ ...ada, name: "Someone else" });
    expect(applied.map((i) => i.name)).toEqual(["Ada L.", "Ada Lovelace"]);
    expect(identity.current).toEqual({ ...ada, name: "Ada Lovelace", color: "#1971c2" });
  });

  it("applies nothing when the winner did not change", () => {
    const applied: Identity[] = [];
    const identity = new SessionIdentity(ada, (next) => applied.push(next));
    identity.choose({ ...ada });
    identity.verify(undefined);
    identity.verify(verified);
    identity.verify({ ...verified });
    expect(applied).toHaveLength(1);
  });

  it("wears the room's colour unless a host fixed one or a token verified one", () => {
    expect(effectiveIdentity(ada, undefined, "#12b886")).toEqual({ ...ada, color: "#12b886" });
    expect(effectiveIdentity({ ...ada, colorFixed: true }, undefined, "#12b886").color).toBe("#d9480f");
    expect(effectiveIdentity(ada, verified, "#12b886").color).toBe("#1971c2");
    const applied: Identity[] = [];
    const identity = new SessionIdentity(ada, (next) => applied.push(next), "#7048e8");
    expect(identity.current.color).toBe("#7048e8");
    identity.setRoomColor("#12b886");
    identity.choose({ ...ada, name: "Ada L." });
    expect(applied.map((i) => [i.name, i.color])).toEqual([
      ["Ada", "#12b886"],
      ["Ada L.", "#12b886"],
    ]);
  });

  it("falls back to the chosen identity when the verified one goes", () => {
    const applied: Identity[] = [];
    const identity = new SessionIdentity(ada, (next) => applied.push(next));
    identity.verify(verified);
    identity.verify(undefined);
    expect(applied.at(-1)).toEqual(ada);
  });
});

describe("ui store", () => {
  const message: ServerAppMessage = {
    type: "chat-message",
    message: { id: "m1", seq: 1, at: 1, author: { name: "Bo", color: "#1971c2" }, text: "hi" },
  };

  it("counts others' messages only while the chat panel is closed, and opening clears the count", () => {
    const lane = new AppLane(() => true);
    const ui = createUiStore();
    const stop = countUnreadChat(lane, ui);
    lane.deliver(message);
    expect(ui.getState().unreadChat).toBe(0);
    setChatOpen(ui, false);
    lane.deliver(message);
    lane.deliver(message);
    expect(ui.getState()).toEqual({ chatOpen: false, unreadChat: 2 });
    setChatOpen(ui, true);
    expect(ui.getState()).toEqual({ chatOpen: true, unreadChat: 0 });
    setChatOpen(ui, false);
    stop();
    lane.deliver(message);
    expect(ui.getState().unreadChat).toBe(0);
  });
});
