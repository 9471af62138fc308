import { LIMITS } from "@edgeroom/shared";
import { useEffect, useRef, useState } from "react";
import { useCanRenameRoom, useRoomName, useSession } from "../session/hooks.ts";
import { InlineNameEditor } from "./InlineNameEditor.tsx";
import { PencilIcon } from "./PencilIcon.tsx";
import { roomLabel, tabTitle, UNTITLED_ROOM } from "./room-label.ts";
import "./room-title.css";

/**
 * The header's room name: the room's title for everyone, renamed in place
 * (the name or the Rename button opens a field); the id stays in the tooltip.
 * It also names the browser tab.
 */
export function RoomTitle({ roomId }: { roomId: string }) {
  const session = useSession();
  const name = useRoomName();
  const canRename = useCanRenameRoom();
  const [editing, setEditing] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const label = roomLabel(name);

  useEffect(() => {
    document.title = tabTitle(name);
    return () => {
      document.title = tabTitle(undefined);
    };
  }, [name]);

  if (editing && canRename) {
    return (
      <div className="room-name room-title editing">
        <InlineNameEditor
          initial={name}
          label="Room name"
          maxLength={LIMITS.maxRoomNameLength}
          placeholder={UNTITLED_ROOM}
          onSave={(typed) =>
            session.connection.renameRoom(typed) ? undefined : "Offline: the name was not changed"
          }
          onClose={() => {
            setEditing(false);
            // Back to the button once it is rendered again.
            requestAnimationFrame(() => renameButton.current?.focus());
          }}
        />
      </div>
    );
  }
  return (
    <div className="room-name room-title">
      <h1
        className={name ? "room-title-text" : "room-title-text untitled"}
        title={`${label} (room id: ${roomId})`}
      >
        <span
          className="room-title-name"
          // The button beside it is the keyboard's way in; a click on the name is a shortcut for the mouse.
          onClick={canRename ? () => setEditing(true) : undefined}
        >
          {label}
        </span>
      </h1>
      {canRename && (
        <button
          ref={renameButton}
          type="button"
          className="room-title-rename"
          aria-label="Rename room"
          title="Rename room"
          onClick={() => setEditing(true)}
        >
          <PencilIcon />
        </button>
      )}
    </div>
  );
}

/** Before the page has a session (the name prompt is open): the fallback, not yet editable. */
export function RoomTitlePlaceholder({ roomId }: { roomId: string }) {
  return (
    <div className="room-name room-title">
      <h1 className="room-title-text untitled" title={`room id: ${roomId}`}>
        {UNTITLED_ROOM}
      </h1>
    </div>
  );
}
