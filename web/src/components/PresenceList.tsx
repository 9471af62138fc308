import type { RoomConnection } from "../connection/room-connection.ts";
import { usePeople } from "../connection/use-room.ts";

export function PresenceList({ connection }: { connection: RoomConnection }) {
  const people = usePeople(connection);
  return (
    <section className="panel" aria-labelledby="people-heading">
      <h2 id="people-heading" className="panel-title">
        People <span className="count">{people.length}</span>
      </h2>
      <ul className="people" aria-label="People in this room">
        {people.map((person) => (
          <li key={person.clientId} className="person">
            <span className="avatar" style={{ backgroundColor: person.color }} aria-hidden="true">
              {initials(person.name)}
            </span>
            <span className="person-name">{person.name}</span>
            {person.isSelf && <span className="you">(you)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  const letters = words.length > 1 ? `${words[0]?.[0] ?? ""}${words.at(-1)?.[0] ?? ""}` : name.slice(0, 2);
  return letters.toUpperCase();
}
