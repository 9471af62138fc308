/** Creates the page's room session once per room and person, and passes it later names and tokens. */
import { useEffect, useRef, useState } from "react";
import { forgetDeviceCopy } from "../connection/device-copy.ts";
import { tokenSubject } from "../access/token-subject.ts";
import type { Identity } from "../lib/identity.ts";
import { RoomSession, type RoomSessionOptions } from "./room-session.ts";

export interface UseRoomSessionOptions {
  roomId: string;
  /** No session until this is known (the name prompt, or an embed waiting for its token). */
  identity: Identity | undefined;
  tokens: RoomSessionOptions["tokens"];
  token?: string | undefined;
  chat: boolean;
}

export function useRoomSession(options: UseRoomSessionOptions): RoomSession | undefined {
  const { roomId, identity, tokens, token, chat } = options;
  const [session, setSession] = useState<RoomSession>();
  const ready = identity !== undefined;
  const person = usePersonChanges(token);
  const forgotten = useRef(0);
  // The session starts with the newest identity and token; later ones reach it through
  // `setIdentity`/`setToken` below, on the same document, so nothing typed is lost.
  const latest = useRef({ identity, token });
  useEffect(() => {
    latest.current = { identity, token };
  });
  useEffect(() => {
    const initial = latest.current;
    if (!ready || !initial.identity) return;
    // The host signed one person out and another in: the last one's device copy and document go.
    if (person > forgotten.current) {
      forgotten.current = person;
      void forgetDeviceCopy(roomId);
    }
    const created = new RoomSession({
      host: location.host,
      roomId,
      identity: initial.identity,
      tokens,
      token: initial.token,
      chat,
    });
    setSession(created);
    return () => {
      created.destroy();
      setSession(undefined);
    };
  }, [roomId, ready, person, tokens, chat]);
  useEffect(() => {
    if (session && identity) session.setIdentity(identity);
  }, [session, identity]);
  useEffect(() => {
    if (session && token !== undefined) session.setToken(token);
  }, [session, token]);
  return session;
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
