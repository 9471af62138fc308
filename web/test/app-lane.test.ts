import type { ClientAppMessage, ServerAppMessage } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { AppLane } from "../src/connection/app-lane.ts";

const chatMessage: ServerAppMessage = {
  type: "chat-message",
  message: { id: "m1", seq: 1, at: 1, author: { name: "Ada", color: "#d9480f" }, text: "hi" },
};
const pointers: ServerAppMessage = { type: "pointers", moves: [] };

describe("app lane", () => {
  it("hands each message only to the handlers of its type, narrowed", () => {
    const lane = new AppLane(() => true);
    const texts: string[] = [];
    let pointerBatches = 0;
    lane.on("chat-message", (message) => texts.push(message.message.text));
    lane.on("pointers", (message) => (pointerBatches += message.moves.length + 1));
    lane.deliver(chatMessage);
    lane.deliver(pointers);
    lane.deliver(chatMessage);
    expect(texts).toEqual(["hi", "hi"]);
    expect(pointerBatches).toBe(1);
  });

  it("stops delivering after unsubscribe, and other handlers of the type keep theirs", () => {
    const lane = new AppLane(() => true);
    const seen: string[] = [];
    const stop = lane.on("chat-message", () => seen.push("first"));
    lane.on("chat-message", () => seen.push("second"));
    lane.deliver(chatMessage);
    stop();
    lane.deliver(chatMessage);
    expect(seen).toEqual(["first", "second", "second"]);
  });

  it("tells open listeners on every open until they unsubscribe", () => {
    const lane = new AppLane(() => true);
    let opens = 0;
    const stop = lane.onOpen(() => (opens += 1));
    lane.opened();
    lane.opened();
    stop();
    lane.opened();
    expect(opens).toBe(2);
  });

  it("sends through the connection and reports whether it could", () => {
    const sent: ClientAppMessage[] = [];
    let open = true;
    const lane = new AppLane((message) => {
      if (open) sent.push(message);
      return open;
    });
    expect(lane.send({ type: "typing", active: true })).toBe(true);
    open = false;
    expect(lane.send({ type: "typing", active: false })).toBe(false);
    expect(sent).toEqual([{ type: "typing", active: true }]);
  });
});
