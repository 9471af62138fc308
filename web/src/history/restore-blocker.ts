/** Why "Restore this version" cannot be used right now, in words shown beside the button. */
import type { Scope } from "@edgeroom/shared";
import type { ConnectionStatus } from "../connection/connection-store.ts";

export interface RestoreSituation {
  /** The live document is selected (the list's "Now" entry), not a saved version. */
  showingNow: boolean;
  /** The chosen version's text; `undefined` while it loads. */
  versionText: string | undefined;
  currentText: string;
  scope: Scope | undefined;
  status: ConnectionStatus;
}

/** `undefined` when restoring is possible; otherwise a short reason for the person. */
export function restoreBlocker(s: RestoreSituation): string | undefined {
  if (s.scope === "view") return "View-only access: you can look at versions but not restore them.";
  if (s.status === "error") return "The room turned this page away, so nothing can be restored from it.";
  if (s.showingNow) return "This is the current version.";
  if (s.versionText === undefined) return "Loading this version…";
  if (s.versionText === s.currentText) return "This version is the same as the current document.";
  return undefined;
}
