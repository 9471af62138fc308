/** People in the room, read from Yjs awareness and validated before display. */
import { readAwarenessUser } from "@edgeroom/shared";
import type { Awareness } from "y-protocols/awareness";
import { createStore } from "zustand/vanilla";

export interface Person {
  clientId: number;
  name: string;
  color: string;
  isSelf: boolean;
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;

export function createPresenceStore() {
  return createStore<{ people: Person[] }>()(() => ({ people: [] }));
}

export function readPeople(awareness: Awareness): Person[] {
  const people: Person[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = readAwarenessUser(state);
    if (!user) continue;
    people.push({ clientId, name: user.name, color: user.color, isSelf: clientId === awareness.clientID });
  }
  // You first, then everyone else by name, so the list does not jump around.
  return people.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}
