/**
 * Custom events for one room over the connection's app lane: the page (or an
 * embed's host) sends `event-send`, and hears everyone else's as `event`
 * with the sender as the room knows them. Ephemeral by design: nothing is
 * queued while offline, and a view-only page sends nothing (the room would
 * refuse it with `read-only` anyway; refusing here tells the caller why).
 */
import type { CustomEvent, EventSender } from "@edgeroom/shared";
import type { RoomConnection } from "../connection/room-connection.ts";

export type EventSendResult = "sent" | "read-only" | "not-connected";

export type EventListener = (event: CustomEvent, from: EventSender) => void;

export class EventsClient {
  readonly #connection: Pick<RoomConnection, "lane" | "state">;
  readonly #listeners = new Set<EventListener>();
  readonly #unsubscribe: () => void;

  constructor(connection: Pick<RoomConnection, "lane" | "state">) {
    this.#connection = connection;
    this.#unsubscribe = connection.lane.on("event", (message) => {
      for (const listener of this.#listeners) listener(message.event, message.from);
    });
  }

  /** `event` must already be parsed by `CustomEventSchema` (the caller's edge of trust). */
  send(event: CustomEvent): EventSendResult {
    if (this.#connection.state.getState().verified?.scope === "view") return "read-only";
    return this.#connection.lane.send({ type: "event-send", event }) ? "sent" : "not-connected";
  }

  /** Calls `listener` with every event from someone else; returns an unsubscribe function. */
  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
