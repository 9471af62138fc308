/** React bindings for a RoomConnection; components read small slices with selectors. */
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import type { Identity } from "../lib/identity.ts";
import type { ConnectionState } from "./connection-store.ts";
import type { Person } from "./presence.ts";
import { forgetDeviceCopy } from "./device-copy.ts";
import { RoomConnection, tokenSubject } from "./room-connection.ts";

export function useRoomConnection(
  roomId: string,
  identity: Identity | undefined,
  token?: string,
  /** Open no socket until the caller says how (see `RoomConnection.open`/`setToken`). */
  held = false,
): RoomConnection | undefined {
  const [connection, setConnection] = useState<RoomConnection>();
  const ready = identity !== undefined;
  const person = usePersonChanges(token);
  const forgotten = useRef(0);
  useEffect(() => {
    if (!identity) return;
    // The host signed one person out and another in: the last one's device copy and document go.
    if (person > forgotten.current) {
      forgotten.current = person;
      void forgetDeviceCopy(roomId);
    }
    const created = new RoomConnection({ host: location.host, roomId, identity, token, held });
    setConnection(created);
    return () => {
      created.destroy();
      setConnection(undefined);
    };
    // The identity and a new token are applied below on the same connection, so nothing
    // typed is lost (a new token means a new socket, as it rides in the upgrade request).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roomId, ready, person]);
  useEffect(() => {
    if (connection && identity) connection.setIdentity(identity);
  }, [connection, identity]);
  useEffect(() => {
    if (connection && token !== undefined) connection.setToken(token);
  }, [connection, token]);
  return connection;
}

/** Counts sign-outs: a token for a different `sub` than the last token's (a first token is not one). */
function usePersonChanges(token: string | undefined): number {
  const seen = useRef<{ subject: string | undefined; changes: number }>({ subject: undefined, changes: 0 });
  const subject = tokenSubject(token);
  if (subject !== undefined && subject !== seen.current.subject) {
    if (seen.current.subject !== undefined) seen.current.changes += 1;
    seen.current.subject = subject;
  }
  return seen.current.changes;
}

export function useConnectionState<T>(connection: RoomConnection, select: (state: ConnectionState) => T): T {
  return useStore(connection.state, select);
}

export function usePeople(connection: RoomConnection): Person[] {
  return useStore(connection.presence, (s) => s.people);
}
