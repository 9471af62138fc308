/**
 * `/embed/<roomId>`: the same room in a compact layout for an iframe: the
 * document fills the frame, presence sits in a slim bar, and the chat is a
 * panel that folds away (beside the document when there is room, over it
 * when not). The host page drives name, colour, theme, mode and token.
 */
import { CloseCode, parseEmbedOptions } from "@edgeroom/shared";
import type { EditorView } from "@codemirror/view";
import { useEffect, useMemo, useState } from "react";
import { useChatClient } from "../chat/use-chat.ts";
import type { ChatClient } from "../chat/chat-client.ts";
import type { RoomConnection } from "../connection/room-connection.ts";
import { useConnectionState, useRoomConnection } from "../connection/use-room.ts";
import { useEmbedIdentity, useVerified } from "../embed/use-embed-identity.ts";
import { useEmbedTheme } from "../embed/use-embed-theme.ts";
import { useHostApi, useHostEvents } from "../embed/use-host-api.ts";
import { usePointerClient } from "../pointer/use-pointers.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { AvatarStack } from "./AvatarStack.tsx";
import { ChatPanel } from "./ChatPanel.tsx";
import { ChatToggle } from "./ChatArea.tsx";
import { Editor } from "./Editor.tsx";
import { PointerLayer } from "./PointerLayer.tsx";
import { RefusalBanner } from "./RefusalBanner.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import "../embed/embed.css";

export function EmbedPage({ roomId }: { roomId: string }) {
  const options = useMemo(() => parseEmbedOptions(new URLSearchParams(location.search)), []);
  const { settings, bridge } = useHostApi(roomId, options);
  useEmbedTheme(settings.theme);
  const [connectionForIdentity, setConnectionForIdentity] = useState<RoomConnection>();
  const identity = useEmbedIdentity(connectionForIdentity, settings, options.name);
  const waitingForToken = options.auth === "token" && settings.token === undefined;
  const connection = useRoomConnection(roomId, waitingForToken ? undefined : identity, settings.token);
  useEffect(() => setConnectionForIdentity(connection), [connection]);
  useHostEvents(bridge, connection);
  const chat = useChatClient(options.chat ? connection : undefined, roomId, identity);
  const verified = useVerified(connection);
  const readOnly = settings.mode === "view" || verified?.scope === "view";

  return (
    <div className="embed">
      <header className="embed-bar">
        <a
          className="embed-room"
          href={`/r/${encodeURIComponent(roomId)}`}
          target="_blank"
          rel="noopener noreferrer"
        >
          <span className="visually-hidden">Open room </span>
          {roomId}
          <span className="visually-hidden"> in Edgeroom (new tab)</span>
        </a>
        {readOnly && <span className="embed-pill">View only</span>}
        <div className="embed-actions">
          {connection && <AvatarStack connection={connection} />}
          {connection && <StatusBadge connection={connection} />}
          {chat && <ChatToggle chat={chat} controls="embed-chat" />}
        </div>
      </header>
      {connection ? (
        <EmbedWorkspace connection={connection} chat={chat} readOnly={readOnly} />
      ) : (
        <main className="embed-body embed-waiting" aria-busy="true">
          <p>{waitingForToken ? "Waiting for the host page to sign you in…" : "Connecting…"}</p>
        </main>
      )}
    </div>
  );
}

function EmbedWorkspace({
  connection,
  chat,
  readOnly,
}: {
  connection: RoomConnection;
  chat: ChatClient | undefined;
  readOnly: boolean;
}) {
  const pointers = usePointerClient(connection);
  const [view, setView] = useState<EditorView>();
  const wide = useMediaQuery("(min-width: 640px)");
  // An expired token is the host's to renew (`token-needed`): typing goes on, kept on the device meanwhile.
  const refused = useConnectionState(
    connection,
    (s) => s.status === "error" && s.closeCode !== CloseCode.tokenExpired,
  );
  // Wide frames open with the chat beside the document; small ones keep the document in view.
  useEffect(() => chat?.setPanelOpen(wide), [chat, wide]);
  const chatOpen = useChatOpen(chat);

  return (
    <main className={`embed-body${wide ? " wide" : ""}`}>
      <RefusalBanner connection={connection} className="embed-problem" hostRenewsTokens />
      <section className="document" aria-label="Document editor">
        <Editor connection={connection} onView={setView} readOnly={readOnly || refused} />
        {view && pointers && <PointerLayer view={view} pointers={pointers} />}
      </section>
      {chat && chatOpen && <ChatPanel chat={chat} id="embed-chat" readOnly={readOnly} blocked={refused} />}
    </main>
  );
}

function useChatOpen(chat: ChatClient | undefined): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!chat) return;
    setOpen(chat.store.getState().panelOpen);
    return chat.store.subscribe((s) => setOpen(s.panelOpen));
  }, [chat]);
  return open;
}
