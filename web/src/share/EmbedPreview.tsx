/**
 * A still of the embed the Share dialog's options describe: the same bar and
 * document as `/embed/<room>`, drawn in this page from the document's text.
 * It opens no socket and loads no frame, so previewing never adds a person
 * to the room, shows no caret and cannot edit anything.
 */
import type { EmbedOptions, EmbedTheme } from "@edgeroom/shared";
import { RoomLabelText } from "../room/RoomLabelText.tsx";
import { useContext } from "react";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { initials } from "../presence/PresenceList.tsx";
import { useDocumentText } from "../session/hooks.ts";
import { SessionContext } from "../session/session-context.tsx";
import "../embed/embed.css";

/** More than a 300 px frame shows; the rest of a long document is left out of the still. */
const PREVIEW_LINES = 30;

export function EmbedPreview({
  roomId,
  options,
  name,
}: {
  roomId: string;
  options: EmbedOptions;
  name: string;
}) {
  const theme = usePreviewTheme(options.theme);
  const hasSession = useContext(SessionContext) !== undefined;
  const description = [
    options.mode === "view" ? "view only" : "can edit",
    options.chat ? "with chat" : "without chat",
    `${theme} theme`,
  ].join(", ");

  return (
    <div className="share-still embed" data-theme={theme} role="img" aria-label={`Preview: ${description}`}>
      <div className="embed-bar">
        <span className="embed-room">{hasSession ? <RoomLabelText roomId={roomId} /> : roomId}</span>
        {options.mode === "view" && <span className="embed-pill">View only</span>}
        <span className="embed-actions">
          <span className="avatar avatar-active share-still-avatar" title={name || "Visitor"}>
            {name ? initials(name) : "?"}
          </span>
          {options.chat && <span className="button chat-toggle">Chat</span>}
        </span>
      </div>
      <div className="share-still-document">{hasSession ? <DocumentLines /> : null}</div>
    </div>
  );
}

function DocumentLines() {
  const lines = useDocumentText().split("\n", PREVIEW_LINES);
  return (
    <>
      {lines.map((line, index) => (
        // Lines have no identity of their own; the still is redrawn whole.
        <p key={index} className="share-still-line">
          {line || "\u00a0"}
        </p>
      ))}
    </>
  );
}

/** `auto` follows the system, as the embed does. */
function usePreviewTheme(theme: EmbedTheme): "light" | "dark" {
  const prefersDark = useMediaQuery("(prefers-color-scheme: dark)");
  if (theme === "auto") return prefersDark ? "dark" : "light";
  return theme;
}
