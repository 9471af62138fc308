import type { PresenceStatus } from "@edgeroom/shared";
import type { Person } from "./people.ts";
import { usePeople } from "../session/hooks.ts";

export const STATUS_LABELS: Record<PresenceStatus, string> = { active: "active", idle: "idle", away: "away" };

export function PresenceList() {
  const people = usePeople();
  return (
    <section className="panel" aria-labelledby="people-heading">
      <h2 id="people-heading" className="panel-title">
        People <span className="count">{people.length}</span>
      </h2>
      <ul className="people" aria-label="People in this room">
        {people.map((person) => (
          <li key={person.key} className={`person status-${person.status}`}>
            <Avatar person={person} />
            <span className="person-name">{person.name}</span>
            {person.isSelf && <span className="you">(you)</span>}
            <span className="presence-status">{STATUS_LABELS[person.status]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Avatar({ person, decorative = true }: { person: Person; decorative?: boolean }) {
  return (
    <span
      className={`avatar avatar-${person.status}`}
      style={{ backgroundColor: person.color }}
      aria-hidden={decorative ? "true" : undefined}
    >
      {initials(person.name)}
    </span>
  );
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  const letters = words.length > 1 ? `${words[0]?.[0] ?? ""}${words.at(-1)?.[0] ?? ""}` : name.slice(0, 2);
  return letters.toUpperCase();
}
