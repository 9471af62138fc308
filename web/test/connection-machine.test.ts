import { describe, expect, it } from "vitest";
import {
  CONNECTION_EVENTS,
  CONNECTION_STATUSES,
  next,
  type ConnectionEvent,
  type ConnectionStatus,
} from "../src/connection/connection-machine.ts";

/** The whole table, written out by hand: one row per status, one column per event. */
const TABLE: Record<ConnectionStatus, Record<ConnectionEvent, ConnectionStatus>> = {
  connecting: {
    "socket-open": "handshaking",
    "sync-complete": "connecting",
    "socket-closed": "offline",
    refused: "error",
    reconnect: "connecting",
    retry: "connecting",
    "token-unreachable": "offline",
  },
  handshaking: {
    "socket-open": "handshaking",
    "sync-complete": "synced",
    "socket-closed": "offline",
    refused: "error",
    reconnect: "handshaking",
    retry: "connecting",
    "token-unreachable": "handshaking",
  },
  synced: {
    "socket-open": "handshaking",
    "sync-complete": "synced",
    "socket-closed": "offline",
    refused: "error",
    reconnect: "synced",
    retry: "connecting",
    "token-unreachable": "synced",
  },
  offline: {
    "socket-open": "handshaking",
    "sync-complete": "offline",
    "socket-closed": "offline",
    refused: "error",
    reconnect: "connecting",
    retry: "connecting",
    "token-unreachable": "offline",
  },
  error: {
    "socket-open": "handshaking",
    "sync-complete": "error",
    "socket-closed": "offline",
    refused: "error",
    reconnect: "error",
    retry: "connecting",
    "token-unreachable": "error",
  },
};

describe("connection state machine", () => {
  for (const status of CONNECTION_STATUSES) {
    for (const event of CONNECTION_EVENTS) {
      it(`${status} --${event}--> ${TABLE[status][event]}`, () => {
        expect(next(status, event)).toBe(TABLE[status][event]);
      });
    }
  }

  it("the table covers every status and every event", () => {
    expect(Object.keys(TABLE).sort()).toEqual([...CONNECTION_STATUSES].sort());
    for (const row of Object.values(TABLE))
      expect(Object.keys(row).sort()).toEqual([...CONNECTION_EVENTS].sort());
  });

  it("the drawn retry edge: offline comes back through connecting before it syncs again", () => {
    const path: ConnectionEvent[] = ["socket-closed", "reconnect", "socket-open", "sync-complete"];
    const visited = path.reduce<ConnectionStatus[]>(
      (seen, event) => [...seen, next(seen.at(-1)!, event)],
      ["synced"],
    );
    expect(visited).toEqual(["synced", "offline", "connecting", "handshaking", "synced"]);
  });

  it("a refused page stays refused through a reconnect and leaves only by a new socket or Try again", () => {
    expect(next("error", "reconnect")).toBe("error");
    expect(next(next("error", "retry"), "socket-open")).toBe("handshaking");
  });
});
