/**
 * Custom events between the host page and the room: the host's `send-event`
 * goes into the room as the embed's own event, and every event the room
 * relays to the embed (from another page, embed or the host's backend) goes
 * on to the host as `event`, through the bridge, so only to the verified
 * host origin. A view-only embed sends nothing and answers `error`.
 */
import type { HostCommand } from "@edgeroom/shared";
import type { EventsClient } from "../events/events-client.ts";
import type { HostBridge } from "./host-bridge.ts";

const REFUSALS = {
  "read-only": "This embed is view-only: it cannot send events.",
  "not-connected": "The embed is not connected to the room right now; the event was not sent.",
} as const;

/** Starts relaying; returns a function that stops it. `readOnly` is read at each send (the mode can change). */
export function relayCustomEvents(
  bridge: Pick<HostBridge, "send" | "listen">,
  events: Pick<EventsClient, "send" | "on">,
  readOnly: () => boolean,
): () => void {
  const onCommand = (command: HostCommand): void => {
    if (command.type !== "send-event") return;
    const result = readOnly() ? "read-only" : events.send(command.event);
    if (result === "sent") return;
    bridge.send({ type: "error", command: "send-event", code: result, message: REFUSALS[result] });
  };
  const stopCommands = bridge.listen(onCommand);
  const stopEvents = events.on((event, from) => bridge.send({ type: "event", event, from }));
  return () => {
    stopCommands();
    stopEvents();
  };
}
