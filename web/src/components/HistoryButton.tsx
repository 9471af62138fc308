import { useRef, useState } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import { useHistoryClient } from "../history/use-history.ts";
import { HistoryPanel } from "./HistoryPanel.tsx";

/** Opens the version history; focus comes back here when it closes. */
export function HistoryButton({ connection, roomId }: { connection: RoomConnection; roomId: string }) {
  const history = useHistoryClient(connection);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="dialog"
        disabled={!history}
        onClick={() => setOpen(true)}
      >
        History
      </button>
      {open && history && (
        <HistoryPanel
          connection={connection}
          history={history}
          roomId={roomId}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
    </>
  );
}
