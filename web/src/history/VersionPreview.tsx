import { useMemo, useState } from "react";
import { formatVersionTime } from "./format.ts";
import { restoreBlocker } from "./restore-blocker.ts";
import { changesSince } from "./text-edit.ts";
import {
  useConnectionState,
  useDocumentText,
  useHistoryState,
  useSession,
  useVerified,
} from "../session/hooks.ts";

const MARKS = { same: " ", added: "+", removed: "−" } as const;

/** The selected version (or the live document), read-only, as text or as the changes made since it. */
export function VersionPreview({ onRestored }: { onRestored: () => void }) {
  const { history } = useSession();
  const selected = useHistoryState((s) => s.selected);
  const showingNow = useHistoryState((s) => s.showingNow);
  const current = useDocumentText();
  const scope = useVerified()?.scope;
  const status = useConnectionState((s) => s.status);
  const [mode, setMode] = useState<"text" | "diff">("text");
  const versionText = selected?.text;
  const diff = useMemo(
    () => (versionText === undefined || mode !== "diff" ? [] : changesSince(versionText, current)),
    [current, versionText, mode],
  );

  if (!selected && !showingNow) {
    return <p className="history-empty version-preview">Select a version to see it here.</p>;
  }
  const title = selected ? `Version from ${formatVersionTime(selected.at)}` : "Current version";
  const blocker = restoreBlocker({ showingNow, versionText, currentText: current, scope, status });
  return (
    <section className="version-preview" aria-label={title}>
      <div className="version-preview-bar">
        <h3>{title}</h3>
        {selected && (
          <div className="segmented" role="group" aria-label="Show">
            <button type="button" aria-pressed={mode === "text"} onClick={() => setMode("text")}>
              Text
            </button>
            <button type="button" aria-pressed={mode === "diff"} onClick={() => setMode("diff")}>
              Changes since
            </button>
          </div>
        )}
      </div>
      {showingNow ? (
        <pre className="version-text" aria-label="Version text" tabIndex={0}>
          {current}
        </pre>
      ) : versionText === undefined ? (
        <p className="history-empty">Loading this version…</p>
      ) : mode === "text" ? (
        <pre className="version-text" aria-label="Version text" tabIndex={0}>
          {versionText}
        </pre>
      ) : (
        <>
          <p className="diff-legend">
            <span className="diff-removed">− removed since this version</span>{" "}
            <span className="diff-added">+ added since</span>
          </p>
          <pre className="version-text" aria-label="Changes between this version and now" tabIndex={0}>
            {current === versionText
              ? "No changes: this version is the same as the document now."
              : diff.map((line, index) => (
                  <span key={index} className={`diff-line diff-${line.kind}`}>
                    <span className="diff-mark" aria-hidden="true">
                      {MARKS[line.kind]}
                    </span>
                    <span className="visually-hidden">{line.kind === "same" ? "" : `${line.kind}: `}</span>
                    {line.text}
                    {"\n"}
                  </span>
                ))}
          </pre>
        </>
      )}
      <div className="version-actions">
        <button
          type="button"
          className="button primary"
          disabled={blocker !== undefined}
          aria-describedby={blocker ? "restore-blocker" : undefined}
          onClick={() => {
            if (history.restoreSelected()) onRestored();
          }}
        >
          Restore this version
        </button>
        {blocker && (
          <p id="restore-blocker" className="restore-blocker">
            {blocker}
          </p>
        )}
        <p className="version-help">
          Restoring adds a new change on top of the document; nothing is lost. Undo it with Ctrl+Z in the
          editor, or restore a newer version from this list.
        </p>
      </div>
    </section>
  );
}
