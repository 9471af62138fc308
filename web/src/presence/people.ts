/** People in the room, read from Yjs awareness and validated before display. */
import { readAwarenessUser, readPresenceStatus, type PresenceStatus } from "@edgeroom/shared";
import type { Awareness } from "y-protocols/awareness";
import { createStore } from "zustand/vanilla";

/** One person, however many tabs they have open. */
export interface Person {
  /** The person's id when their client sends one, else their only awareness client id. */
  key: string;
  name: string;
  color: string;
  isSelf: boolean;
  /** The liveliest of their tabs: active beats idle beats away. */
  status: PresenceStatus;
  tabs: number;
}

const LIVELINESS: Record<PresenceStatus, number> = { active: 2, idle: 1, away: 0 };

export type PresenceStore = ReturnType<typeof createPresenceStore>;

export function createPresenceStore() {
  return createStore<{ people: Person[] }>()(() => ({ people: [] }));
}

export function readPeople(awareness: Awareness): Person[] {
  const people = new Map<string, Person>();
  const selfId = readAwarenessUser(awareness.getLocalState())?.id;
  for (const [clientId, state] of awareness.getStates()) {
    const user = readAwarenessUser(state);
    if (!user) continue;
    const key = user.id ?? `client-${clientId}`;
    const status = readPresenceStatus(state);
    const isSelf = clientId === awareness.clientID || (selfId !== undefined && user.id === selfId);
    const known = people.get(key);
    if (!known) {
      people.set(key, { key, name: user.name, color: user.color, isSelf, status, tabs: 1 });
      continue;
    }
    known.tabs += 1;
    known.isSelf ||= isSelf;
    if (LIVELINESS[status] > LIVELINESS[known.status]) known.status = status;
  }
  // You first, then everyone else by name, so the list does not jump around.
  return [...people.values()].sort(
    (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
  );
}
