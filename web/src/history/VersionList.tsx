import { formatBytes, formatEditors, formatVersionTime } from "./format.ts";
import { useHistoryState, useSession } from "../session/hooks.ts";

export function VersionList() {
  const { history } = useSession();
  const versions = useHistoryState((s) => s.versions);
  const selectedAt = useHistoryState((s) => s.selected?.at);

  if (versions === undefined) return <p className="history-empty">Loading versions…</p>;
  if (versions.length === 0) {
    return (
      <p className="history-empty">
        No saved versions yet. The room saves one a couple of seconds after each pause in editing.
      </p>
    );
  }
  return (
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
  );
}
