/**
 * The room's news the host page hears: who is here, what was said, and when
 * the room wants a (new) token (custom events: host-custom-events.ts).
 */
import { CloseCode, type ChatMessage, type EmbedEvent } from "@edgeroom/shared";
import type { RoomConnection } from "../connection/room-connection.ts";
import type { HostBridge } from "./host-bridge.ts";

const TOKEN_REFUSALS: Partial<Record<number, Extract<EmbedEvent, { type: "token-needed" }>["reason"]>> = {
  [CloseCode.tokenExpired]: "expired",
  [CloseCode.tokenRequired]: "required",
  [CloseCode.tokenInvalid]: "invalid",
};

/** Starts relaying; returns a function that stops it. */
export function relayToHost(bridge: Pick<HostBridge, "send">, connection: RoomConnection): () => void {
  let lastPresence = "";
  const sendPresence = (): void => {
    const people = connection.presence
      .getState()
      .people.map(({ name, color, status, isSelf }) => ({ name, color, status, isSelf }));
    const json = JSON.stringify(people);
    if (json === lastPresence) return;
    lastPresence = json;
    bridge.send({ type: "presence", people });
  };
  sendPresence();
  const sentChat = new Set<string>();
  const tellHost = ({ id, seq, at, author, text }: ChatMessage): void => {
    // An ack repeats for a retried send; the host hears of each message once.
    if (sentChat.has(id)) return;
    sentChat.add(id);
    bridge.send({ type: "chat-message", message: { seq, at, author, text } });
  };
  const unsubscribers = [
    connection.presence.subscribe(sendPresence),
    connection.lane.on("chat-message", (message) => tellHost(message.message)),
    connection.lane.on("chat-ack", (message) => tellHost(message.message)),
    connection.state.subscribe((state, previous) => {
      const reason = state.closeCode === undefined ? undefined : TOKEN_REFUSALS[state.closeCode];
      if (state.status === "error" && previous.status !== "error" && reason) {
        bridge.send({ type: "token-needed", reason });
      }
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
