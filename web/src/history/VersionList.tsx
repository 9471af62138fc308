import { formatBytes, formatEditors, formatVersionTime } from "./format.ts";
import { useHistoryState, useSession } from "../session/hooks.ts";

/** The live document on top ("Now"), then the saved versions, newest first. */
export function VersionList() {
  const { history } = useSession();
  const versions = useHistoryState((s) => s.versions);
  const selectedAt = useHistoryState((s) => s.selected?.at);
  const showingNow = useHistoryState((s) => s.showingNow);

  return (
    <div className="version-column">
      <button
        type="button"
        className="version-item version-now"
        aria-pressed={showingNow}
        onClick={() => history.selectNow()}
      >
        <span className="version-time">Now</span>
        <span className="version-editors">Current version</span>
        <span className="version-badge" aria-hidden="true">
          Live
        </span>
      </button>
      {versions === undefined ? (
        <p className="history-empty">Loading versions…</p>
      ) : versions.length === 0 ? (
        <p className="history-empty">
          No saved versions yet. The room saves one a couple of seconds after each pause in editing.
        </p>
      ) : (
        <ul className="version-list" aria-label="Saved versions, newest first">
          {versions.map((version) => (
            <li key={version.at}>
              <button
                type="button"
                className="version-item"
                aria-pressed={version.at === selectedAt}
                onClick={() => history.select(version.at)}
              >
                <span className="version-time">{formatVersionTime(version.at)}</span>
                <span className="version-editors">{formatEditors(version.editors)}</span>
                <span className="version-size">{formatBytes(version.bytes)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
