import { CopyButton } from "../share/CopyButton.tsx";
import { useCanRenameRoom, useConnectionState, useDocumentIsEmpty } from "../session/hooks.ts";
import "./empty-hint.css";

/**
 * Over an empty document: what to do next (type, or invite someone), gone
 * with the first character. Shown only once synced, so a room that has text
 * never flashes it while loading. A view-only page just says it is empty.
 */
export function EmptyHint({ roomId }: { roomId: string }) {
  const empty = useDocumentIsEmpty();
  const synced = useConnectionState((s) => s.status === "synced");
  // Whoever may rename the room may also write in it (view tokens and refused pages may do neither).
  const canWrite = useCanRenameRoom();
  if (!empty || !synced) return null;
  const link = `${location.origin}/r/${encodeURIComponent(roomId)}`;
  return (
    <div className="empty-hint">
      <div className="empty-hint-card" role="note" aria-label="Empty document">
        {canWrite ? (
          <>
            <p className="empty-hint-title">Start typing…</p>
            <p className="empty-hint-text">Share the link to invite people.</p>
            <CopyButton text={link} label="Copy link" done="Link copied" />
          </>
        ) : (
          <p className="empty-hint-title">This document is empty</p>
        )}
      </div>
    </div>
  );
}
