/**
 * What a person's coming and going tells the host's backend: once per
 * person (their first socket in, their last socket out), not per socket, and
 * the room turning occupied or vacated around them.
 */
import type { User, WebhookEvent } from "@edgeroom/shared";

function who(person: string, user: User | undefined): { id: string; name?: string; color?: string } {
  return user ? { id: person, name: user.name, color: user.color } : { id: person };
}

/** `people` counts the people here now, the arriving one included. */
export function arrivalWebhooks(person: string, user: User | undefined, people: number): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  if (people === 1) events.push({ type: "room.occupied", data: { people } });
  events.push({ type: "person.joined", data: { person: who(person, user), people } });
  return events;
}

/** `people` counts the people still here. */
export function departureWebhooks(person: string, user: User | undefined, people: number): WebhookEvent[] {
  const events: WebhookEvent[] = [{ type: "person.left", data: { person: who(person, user), people } }];
  if (people === 0) events.push({ type: "room.vacated", data: { people } });
  return events;
}
