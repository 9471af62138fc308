import type { EditorView } from "@codemirror/view";
import { useEffect, useState } from "react";
import { loadIdentity, saveIdentity, type Identity } from "../lib/identity.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { useConnectionState } from "../session/hooks.ts";
import { SessionProvider } from "../session/session-context.tsx";
import { setChatOpen } from "../session/ui-store.ts";
import { useRoomSession } from "../session/use-room-session.ts";
import { AvatarStack } from "../presence/AvatarStack.tsx";
import { ChatArea } from "../chat/ChatArea.tsx";
import { PHONE_LAYOUT_QUERY } from "../chat/phone-layout.ts";
import { Editor } from "../editor/Editor.tsx";
import { HistoryButton } from "../history/HistoryButton.tsx";
import { Logo } from "../app-shell/Logo.tsx";
import { NamePrompt } from "./NamePrompt.tsx";
import { PointerLayer } from "../pointer/PointerLayer.tsx";
import { PresenceList } from "../presence/PresenceList.tsx";
import { RefusalBanner } from "../status/RefusalBanner.tsx";
import { SaveStatus } from "../status/SaveStatus.tsx";
import { ShareButton } from "../share/ShareDialog.tsx";
import { SizeWarning } from "../status/SizeWarning.tsx";
import { StatusBadge } from "../status/StatusBadge.tsx";
import { ThemeToggle } from "../app-shell/ThemeToggle.tsx";

export function RoomPage({ roomId }: { roomId: string }) {
  const [identity, setIdentity] = useState<Identity | undefined>(loadIdentity);
  const session = useRoomSession({ roomId, identity, tokens: "endpoint", chat: true });
  const narrow = useMediaQuery(PHONE_LAYOUT_QUERY);
  // Wide screens always show the chat; narrow ones fold it behind a toggle.
  useEffect(() => {
    if (session) setChatOpen(session.ui, !narrow);
  }, [session, narrow]);

  return (
    <SessionProvider session={session}>
      <div className="room">
        <header className="topbar">
          <Logo />
          <p className="room-name" title={roomId}>
            <span className="visually-hidden">Room </span>
            {roomId}
          </p>
          <div className="topbar-actions">
            {session && (
              <>
                <AvatarStack />
                <StatusBadge />
                <SaveStatus />
                <HistoryButton />
              </>
            )}
            <ShareButton roomId={roomId} />
            <ThemeToggle />
          </div>
        </header>
        {session && <RefusalBanner />}
        {session && <SizeWarning />}
        {identity === undefined && <NamePrompt onSubmit={(name) => setIdentity(saveIdentity(name))} />}
        {session ? <Workspace narrow={narrow} /> : <main className="workspace" aria-busy="true" />}
      </div>
    </SessionProvider>
  );
}

function Workspace({ narrow }: { narrow: boolean }) {
  const [view, setView] = useState<EditorView>();
  // Turned away by the room: typing could never be sent, so the page does not take it.
  const refused = useConnectionState((s) => s.status === "error");
  return (
    <main className="workspace">
      <section className="document" aria-label="Document editor">
        <Editor onView={setView} readOnly={refused} />
        {view && <PointerLayer view={view} />}
      </section>
      <aside className="sidebar">
        <PresenceList />
        <ChatArea narrow={narrow} blocked={refused} />
      </aside>
    </main>
  );
}
