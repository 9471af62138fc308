import { useEffect, useRef } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import type { HistoryClient } from "../history/history-client.ts";
import { useHistoryState } from "../history/use-history.ts";
import { DocumentTransfer } from "./history/DocumentTransfer.tsx";
import { VersionList } from "./history/VersionList.tsx";
import { VersionPreview } from "./history/VersionPreview.tsx";
import "../history.css";

/**
 * The "Version history" drawer: a modal <dialog>, so the browser traps focus,
 * closes it on Escape and hides the page behind it from screen readers.
 */
export function HistoryPanel({
  connection,
  history,
  roomId,
  onClose,
}: {
  connection: RoomConnection;
  history: HistoryClient;
  roomId: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const problem = useHistoryState(history, (s) => s.problem);

  useEffect(() => {
    // React's development double-run of effects would otherwise open it twice.
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    history.open();
    return () => history.close();
  }, [history]);

  return (
    <dialog
      ref={dialog}
      className="history-drawer"
      aria-labelledby="history-title"
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === dialog.current) dialog.current.close();
      }}
    >
      <div className="history-content">
        <div className="history-header">
          <h2 id="history-title">Version history</h2>
          <button
            type="button"
            className="button icon"
            aria-label="Close version history"
            onClick={() => dialog.current?.close()}
          >
            ✕
          </button>
        </div>
        {problem && (
          <p className="history-problem" role="alert">
            {problem}
          </p>
        )}
        <div className="history-body">
          <VersionList history={history} />
          <VersionPreview
            connection={connection}
            history={history}
            onRestored={() => dialog.current?.close()}
          />
        </div>
        <DocumentTransfer connection={connection} roomId={roomId} />
      </div>
    </dialog>
  );
}
