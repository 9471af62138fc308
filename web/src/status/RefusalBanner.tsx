/**
 * What the page says when the room turned it away: the reason, what becomes
 * of local changes, and the one action that can help. Shown only in the
 * `error` state, where the editor is read-only and the chat cannot send.
 */
import { CloseCode, LIMITS } from "@edgeroom/shared";
import { useConnectionState, useSession } from "../session/hooks.ts";
import "./refusal.css";

type Action = "reload" | "try-again" | "sign-in" | "start-again" | "none";

const ACTIONS: Partial<Record<number, Action>> = {
  [CloseCode.versionMismatch]: "reload",
  [CloseCode.badFrames]: "reload",
  [CloseCode.roomFull]: "try-again",
  [CloseCode.tooManySockets]: "try-again",
  [CloseCode.tokenInvalid]: "sign-in",
  [CloseCode.tokenExpired]: "sign-in",
  [CloseCode.tokenRequired]: "sign-in",
  [CloseCode.roomDeleted]: "start-again",
};

/** What becomes of the page after the close, when it is not the usual "read-only, chat cannot send". */
const AFTERMATH: Partial<Record<number, string>> = {
  [CloseCode.roomDeleted]:
    "This page deleted its copy from this device, so nothing is sent back. What you see is gone when you leave.",
  [CloseCode.accessRevoked]:
    "The document is read-only here, and chat cannot send. Ask whoever runs this site to let you in again.",
};

export function refusalAction(closeCode: CloseCode | undefined): Action {
  return (closeCode !== undefined && ACTIONS[closeCode]) || "none";
}

export function RefusalBanner({
  className,
  hostRenewsTokens = false,
}: {
  className?: string;
  /** In an embed the host answers an expired token with a fresh one, and the page stays editable meanwhile. */
  hostRenewsTokens?: boolean;
}) {
  const session = useSession();
  const { connection } = session;
  const refused = useConnectionState((s) => s.status === "error");
  const closeReason = useConnectionState((s) => s.closeReason);
  const closeCode = useConnectionState((s) => s.closeCode);
  if (!refused) return null;
  const action = refusalAction(closeCode);
  const renewing = hostRenewsTokens && closeCode === CloseCode.tokenExpired;
  return (
    <div className={className ? `refusal ${className}` : "refusal"} role="alert">
      <p className="refusal-text">
        <strong>{closeReason ?? "The room closed the connection."}</strong>{" "}
        {renewing
          ? "Your changes stay on this device until the host signs you in again."
          : ((closeCode !== undefined && AFTERMATH[closeCode]) ??
            "The document is read-only here, and chat cannot send.")}
        {action === "try-again" &&
          ` This page tries again by itself every ${Math.round(LIMITS.crowdedRetryMs / 1000)} seconds.`}
      </p>
      {action === "reload" && (
        <button type="button" className="button primary small" onClick={() => location.reload()}>
          Reload
        </button>
      )}
      {action === "try-again" && (
        <button type="button" className="button primary small" onClick={() => connection.retry()}>
          Try again
        </button>
      )}
      {action === "start-again" && (
        <button type="button" className="button primary small" onClick={() => void session.startAgain()}>
          Start again
        </button>
      )}
      {action === "sign-in" && (
        <p className="refusal-action">Sign in through the host page to open this room.</p>
      )}
    </div>
  );
}
