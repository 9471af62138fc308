/**
 * `/embed/<roomId>`: the same room in a compact layout for an iframe: the
 * document fills the frame, presence sits in a slim bar, and the chat is a
 * panel that folds away (beside the document when there is room, over it
 * when not). The host page drives name, colour, theme, mode and token.
 */
import { CloseCode, parseEmbedOptions, type EmbedMode } from "@edgeroom/shared";
import type { EditorView } from "@codemirror/view";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useEmbedIdentity } from "./use-embed-identity.ts";
import { useEmbedTheme } from "./use-embed-theme.ts";
import { useHostApi, useHostEvents } from "./use-host-api.ts";
import { useEscapeCloses } from "../lib/use-escape-closes.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { useConnectionState, useSession, useUi, useVerified } from "../session/hooks.ts";
import { RoomLabelText } from "../room/RoomLabelText.tsx";
import { SessionProvider } from "../session/session-context.tsx";
import { setChatOpen } from "../session/ui-store.ts";
import { useRoomSession } from "../session/use-room-session.ts";
import { AvatarStack } from "../presence/AvatarStack.tsx";
import { ChatPanel } from "../chat/ChatPanel.tsx";
import { ChatToggle } from "../chat/ChatArea.tsx";
import { LazyEditor as Editor } from "../editor/LazyEditor.tsx";
import { PointerLayer } from "../pointer/PointerLayer.tsx";
import { RefusalBanner } from "../status/RefusalBanner.tsx";
import { StatusBadge } from "../status/StatusBadge.tsx";
import "./embed.css";

export function EmbedPage({ roomId }: { roomId: string }) {
  const options = useMemo(() => parseEmbedOptions(new URLSearchParams(location.search)), []);
  const { settings, bridge } = useHostApi(roomId, options);
  useEmbedTheme(settings.theme);
  const identity = useEmbedIdentity(settings, options.name);
  const waitingForToken = options.auth === "token" && settings.token === undefined;
  const session = useRoomSession({
    roomId,
    identity: waitingForToken ? undefined : identity,
    tokens: "host",
    token: settings.token,
    chat: options.chat,
  });
  // The host's mode; a view token is refused by the events client itself (see events-client.ts).
  useHostEvents(bridge, session, settings.mode === "view");

  return (
    <SessionProvider session={session}>
      <div className="embed">
        <header className="embed-bar">
          <h1 className="embed-heading">
            <a
              className="embed-room"
              href={`/r/${encodeURIComponent(roomId)}`}
              title={roomId}
              target="_blank"
              rel="noopener noreferrer"
            >
              <span className="visually-hidden">Open room </span>
              {session ? <RoomLabelText roomId={roomId} /> : roomId}
              <span className="visually-hidden"> in Edgeroom (new tab)</span>
            </a>
          </h1>
          {settings.mode === "view" ? <ViewOnlyPill /> : session && <ViewOnlyByToken />}
          <div className="embed-actions">
            {session && <AvatarStack />}
            {session && <StatusBadge />}
            {session?.chat && <ChatToggle controls="embed-chat" />}
          </div>
        </header>
        {session ? (
          <EmbedWorkspace mode={settings.mode} />
        ) : (
          <main className="embed-body embed-waiting" aria-busy="true">
            <p>{waitingForToken ? "Waiting for the host page to sign you in…" : "Connecting…"}</p>
          </main>
        )}
      </div>
    </SessionProvider>
  );
}

/** The host's `view` mode, or a token that grants only viewing. */
function useReadOnly(mode: EmbedMode): boolean {
  const verified = useVerified();
  return mode === "view" || verified?.scope === "view";
}

function ViewOnlyPill() {
  return <span className="embed-pill">View only</span>;
}

function ViewOnlyByToken() {
  return useVerified()?.scope === "view" ? <ViewOnlyPill /> : null;
}

function EmbedWorkspace({ mode }: { mode: EmbedMode }) {
  const session = useSession();
  const readOnly = useReadOnly(mode);
  const [view, setView] = useState<EditorView>();
  const wide = useMediaQuery("(min-width: 640px)");
  // An expired token is the host's to renew (`token-needed`): typing goes on, kept on the device meanwhile.
  const refused = useConnectionState((s) => s.status === "error" && s.closeCode !== CloseCode.tokenExpired);
  // Wide frames open with the chat beside the document; small ones keep the document in view.
  useEffect(() => setChatOpen(session.ui, wide), [session, wide]);
  const chatOpen = useUi((s) => s.chatOpen);
  const closeChat = useCallback(() => setChatOpen(session.ui, false), [session]);
  useEscapeCloses("embed-chat", Boolean(session.chat) && chatOpen, closeChat);

  return (
    <main className={`embed-body${wide ? " wide" : ""}`}>
      <RefusalBanner className="embed-problem" hostRenewsTokens />
      <section className="document" aria-label="Document editor">
        <Editor onView={setView} readOnly={readOnly || refused} />
        {view && <PointerLayer view={view} />}
      </section>
      {session.chat && chatOpen && <ChatPanel id="embed-chat" readOnly={readOnly} blocked={refused} />}
    </main>
  );
}
