import { CLIENT_TUNING } from "@edgeroom/shared";
import { PHONE_LAYOUT_QUERY } from "../chat/phone-layout.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { usePeople } from "../session/hooks.ts";
import { Avatar, STATUS_LABELS } from "./PresenceList.tsx";
import "./avatar-stack.css";

/** Places for faces in a phone's one-row header: what fits beside a readable room name at 390 px. */
const PHONE_SLOTS = 3;

/** How many faces fit in `slots` places: everyone if they fit, else one place fewer and a "+N" for the rest. */
export function avatarsToShow(people: number, slots: number): number {
  return people <= slots ? people : Math.max(1, slots - 1);
}

/** The header's compact view of who is here: a few faces side by side, initials visible, and a count of the rest. */
export function AvatarStack() {
  const people = usePeople();
  const phone = useMediaQuery(PHONE_LAYOUT_QUERY);
  const slots = phone ? PHONE_SLOTS : CLIENT_TUNING.avatarsShown;
  const shown = people.slice(0, avatarsToShow(people.length, slots));
  const rest = people.length - shown.length;
  const summary = people.map((p) => `${p.name}${p.isSelf ? " (you)" : ""}, ${STATUS_LABELS[p.status]}`);
  return (
    <div
      className="avatar-stack"
      role="img"
      aria-label={`${people.length} ${people.length === 1 ? "person" : "people"} here: ${summary.join("; ")}`}
      title={summary.join("\n")}
    >
      {shown.map((person) => (
        <Avatar key={person.key} person={person} />
      ))}
      {rest > 0 && (
        <span className="avatar avatar-more" aria-hidden="true">
          +{rest}
        </span>
      )}
    </div>
  );
}
