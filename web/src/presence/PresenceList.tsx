import { cleanDisplayName, LIMITS, type PresenceStatus } from "@edgeroom/shared";
import { useId, useRef, useState } from "react";
import type { Person } from "./people.ts";
import { labelTextColor } from "../lib/palette.ts";
import { InlineNameEditor } from "../room/InlineNameEditor.tsx";
import { PencilIcon } from "../room/PencilIcon.tsx";
import { usePeople, useVerified } from "../session/hooks.ts";
import "./presence-rename.css";

export const STATUS_LABELS: Record<PresenceStatus, string> = { active: "active", idle: "idle", away: "away" };

/** `onRename` lets the person rename themselves from their own entry (the room page passes it; the embed's host names people). */
export function PresenceList({ onRename }: { onRename?: ((name: string) => void) | undefined }) {
  const people = usePeople();
  return (
    <section className="panel" aria-labelledby="people-heading">
      <h2 id="people-heading" className="panel-title">
        People <span className="count">{people.length}</span>
      </h2>
      <ul className="people" aria-label="People in this room">
        {people.map((person) =>
          person.isSelf && onRename ? (
            <SelfEntry key={person.key} person={person} onRename={onRename} />
          ) : (
            <li key={person.key} className={`person status-${person.status}`}>
              <Avatar person={person} />
              <span className="person-name">{person.name}</span>
              {person.isSelf && <span className="you">(you)</span>}
              <span className="presence-status">{STATUS_LABELS[person.status]}</span>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

/** Your own entry: your name, and a Rename that saves it like the name prompt (unless a token names you). */
function SelfEntry({ person, onRename }: { person: Person; onRename: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  const verified = useVerified() !== undefined;
  const button = useRef<HTMLButtonElement>(null);
  const whyNot = useId();
  return (
    <li className={`person self status-${person.status}${editing ? " editing" : ""}`}>
      <Avatar person={person} />
      {editing ? (
        <InlineNameEditor
          initial={person.name}
          label="Your name"
          maxLength={LIMITS.maxNameLength}
          onSave={(typed) => {
            const name = cleanDisplayName(typed);
            if (!name) return "Your name needs at least one letter";
            onRename(name);
            return undefined;
          }}
          onClose={() => {
            setEditing(false);
            requestAnimationFrame(() => button.current?.focus());
          }}
        />
      ) : (
        <>
          <span className="person-name">{person.name}</span>
          <span className="you">(you)</span>
          <span className="presence-status">{STATUS_LABELS[person.status]}</span>
          <button
            ref={button}
            type="button"
            className="person-rename"
            aria-label="Rename yourself"
            // Still focusable when it cannot act, so a keyboard or screen reader user hears why.
            aria-disabled={verified ? true : undefined}
            aria-describedby={verified ? whyNot : undefined}
            title={verified ? "Your sign-in sets your name here" : "Change your name"}
            onClick={verified ? undefined : () => setEditing(true)}
          >
            <PencilIcon />
          </button>
          {verified && (
            <span id={whyNot} className="visually-hidden">
              Your sign-in sets your name here
            </span>
          )}
        </>
      )}
    </li>
  );
}

export function Avatar({ person, decorative = true }: { person: Person; decorative?: boolean }) {
  return (
    <span
      className={`avatar avatar-${person.status}`}
      style={{ backgroundColor: person.color, color: labelTextColor(person.color) }}
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
