import type { EditorView } from "@codemirror/view";
import { useEffect, useState } from "react";
import { useRoomAccess } from "../access/use-room-access.ts";
import { useChatClient } from "../chat/use-chat.ts";
import { useConnectionState, useRoomConnection } from "../connection/use-room.ts";
import type { RoomConnection } from "../connection/room-connection.ts";
import type { ChatClient } from "../chat/chat-client.ts";
import { usePointerClient } from "../pointer/use-pointers.ts";
import { loadIdentity, saveIdentity, type Identity } from "../lib/identity.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { AvatarStack } from "./AvatarStack.tsx";
import { ChatArea } from "./ChatArea.tsx";
import { Editor } from "./Editor.tsx";
import { HistoryButton } from "./HistoryButton.tsx";
import { Logo } from "./Logo.tsx";
import { NamePrompt } from "./NamePrompt.tsx";
import { PointerLayer } from "./PointerLayer.tsx";
import { PresenceList } from "./PresenceList.tsx";
import { RefusalBanner } from "./RefusalBanner.tsx";
import { SaveStatus } from "./SaveStatus.tsx";
import { ShareButton } from "./ShareDialog.tsx";
import { SizeWarning } from "./SizeWarning.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";

export function RoomPage({ roomId }: { roomId: string }) {
  const [identity, setIdentity] = useState<Identity | undefined>(loadIdentity);
  // Held until the page knows whether this deploy hands out room tokens (see room-access.ts).
  const connection = useRoomConnection(roomId, identity, undefined, true);
  useRoomAccess(roomId, connection);
  const chat = useChatClient(connection, roomId, identity);
  const narrow = useMediaQuery("(max-width: 720px)");
  // Wide screens always show the chat; narrow ones fold it behind a toggle.
  useEffect(() => chat?.setPanelOpen(!narrow), [chat, narrow]);

  return (
    <div className="room">
      <header className="topbar">
        <Logo />
        <p className="room-name" title={roomId}>
          <span className="visually-hidden">Room </span>
          {roomId}
        </p>
        <div className="topbar-actions">
          {connection && <AvatarStack connection={connection} />}
          {connection && <StatusBadge connection={connection} />}
          {connection && <SaveStatus connection={connection} />}
          {connection && <HistoryButton connection={connection} roomId={roomId} />}
          <ShareButton roomId={roomId} />
          <ThemeToggle />
        </div>
      </header>
      {connection && <RefusalBanner connection={connection} />}
      {connection && <SizeWarning connection={connection} />}
      {identity === undefined && <NamePrompt onSubmit={(name) => setIdentity(saveIdentity(name))} />}
      {connection ? (
        <Workspace connection={connection} chat={chat} narrow={narrow} />
      ) : (
        <main className="workspace" aria-busy="true" />
      )}
    </div>
  );
}

function Workspace({
  connection,
  chat,
  narrow,
}: {
  connection: RoomConnection;
  chat: ChatClient | undefined;
  narrow: boolean;
}) {
  const pointers = usePointerClient(connection);
  const [view, setView] = useState<EditorView>();
  // Turned away by the room: typing could never be sent, so the page does not take it.
  const refused = useConnectionState(connection, (s) => s.status === "error");
  return (
    <main className="workspace">
      <section className="document" aria-label="Document editor">
        <Editor connection={connection} onView={setView} readOnly={refused} />
        {view && pointers && <PointerLayer view={view} pointers={pointers} />}
      </section>
      <aside className="sidebar">
        <PresenceList connection={connection} />
        {chat && <ChatArea chat={chat} narrow={narrow} blocked={refused} />}
      </aside>
    </main>
  );
}
