import { useMemo, useState } from "react";
import { formatVersionTime } from "./format.ts";
import { diffAgainstNow } from "./text-edit.ts";
import { useDocumentText, useHistoryState, useSession } from "../session/hooks.ts";

const MARKS = { same: " ", added: "+", removed: "−" } as const;

/** The selected version, read-only, as text or as a line diff against the document now. */
export function VersionPreview({ onRestored }: { onRestored: () => void }) {
  const { history } = useSession();
  const selected = useHistoryState((s) => s.selected);
  const current = useDocumentText();
  const [mode, setMode] = useState<"text" | "diff">("text");
  const versionText = selected?.text;
  const diff = useMemo(
    () => (versionText === undefined || mode !== "diff" ? [] : diffAgainstNow(current, versionText)),
    [current, versionText, mode],
  );

  if (!selected) {
    return <p className="history-empty version-preview">Select a version to see it here.</p>;
  }
  const title = `Version from ${formatVersionTime(selected.at)}`;
  return (
    <section className="version-preview" aria-label={title}>
      <div className="version-preview-bar">
        <h3>{title}</h3>
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" aria-pressed={mode === "text"} onClick={() => setMode("text")}>
            Text
          </button>
          <button type="button" aria-pressed={mode === "diff"} onClick={() => setMode("diff")}>
            Changes since
          </button>
        </div>
      </div>
      {versionText === undefined ? (
        <p className="history-empty">Loading this version…</p>
      ) : mode === "text" ? (
        <pre className="version-text" aria-label="Version text" tabIndex={0}>
          {versionText}
        </pre>
      ) : (
        <>
          <p className="diff-legend">
            <span className="diff-added">+ in this version</span>{" "}
            <span className="diff-removed">− only in the document now</span>
          </p>
          <pre className="version-text" aria-label="Changes between this version and now" tabIndex={0}>
            {current === versionText
              ? "Same as the document now."
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
          disabled={versionText === undefined || versionText === current}
          onClick={() => {
            if (history.restoreSelected()) onRestored();
          }}
        >
          Restore this version
        </button>
        <p className="version-help">
          Restoring adds a new change on top of the document; nothing is lost. Undo it with Ctrl+Z in the
          editor, or restore a newer version from this list.
        </p>
      </div>
    </section>
  );
}
