import { CLIENT_TUNING } from "@edgeroom/shared";
import { usePeople } from "../session/hooks.ts";
import { Avatar, STATUS_LABELS } from "./PresenceList.tsx";

/** The header's compact view of who is here: a few faces and a count of the rest. */
export function AvatarStack() {
  const people = usePeople();
  const shown = people.slice(0, CLIENT_TUNING.avatarsShown);
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
      {rest > 0 && <span className="avatar avatar-more">+{rest}</span>}
    </div>
  );
}
