/** React bindings for a RoomConnection; components read small slices with selectors. */
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { Identity } from "../lib/identity.ts";
import type { ConnectionState } from "./connection-store.ts";
import type { Person } from "./presence.ts";
import { RoomConnection } from "./room-connection.ts";

export function useRoomConnection(
  roomId: string,
  identity: Identity | undefined,
  token?: string,
  /** Open no socket until the caller says how (see `RoomConnection.open`/`setToken`). */
  held = false,
): RoomConnection | undefined {
  const [connection, setConnection] = useState<RoomConnection>();
  const ready = identity !== undefined;
  useEffect(() => {
    if (!identity) return;
    const created = new RoomConnection({ host: location.host, roomId, identity, token, held });
    setConnection(created);
    return () => {
      created.destroy();
      setConnection(undefined);
    };
    // The identity and a new token are applied below on the same connection, so nothing
    // typed is lost (a new token means a new socket, as it rides in the upgrade request).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roomId, ready]);
  useEffect(() => {
    if (connection && identity) connection.setIdentity(identity);
  }, [connection, identity]);
  useEffect(() => {
    if (connection && token !== undefined) connection.setToken(token);
  }, [connection, token]);
  return connection;
}

export function useConnectionState<T>(connection: RoomConnection, select: (state: ConnectionState) => T): T {
  return useStore(connection.state, select);
}

export function usePeople(connection: RoomConnection): Person[] {
  return useStore(connection.presence, (s) => s.people);
}
