import { useEffect, useRef } from "react";
import { useHistoryState, useSession } from "../session/hooks.ts";
import { DocumentTransfer } from "./DocumentTransfer.tsx";
import { VersionList } from "./VersionList.tsx";
import { VersionPreview } from "./VersionPreview.tsx";
import "./history.css";

/**
 * The "Version history" drawer: a modal <dialog>, so the browser traps focus,
 * closes it on Escape and hides the page behind it from screen readers.
 */
export function HistoryPanel({ onClose }: { onClose: () => void }) {
  const { history } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const problem = useHistoryState((s) => s.problem);

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
          <VersionList />
          <VersionPreview onRestored={() => dialog.current?.close()} />
        </div>
        <DocumentTransfer />
      </div>
    </dialog>
  );
}
