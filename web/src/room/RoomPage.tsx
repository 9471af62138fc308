import type { EditorView } from "@codemirror/view";
import { useCallback, useEffect, useState } from "react";
import { loadIdentity, saveIdentity, type Identity } from "../lib/identity.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";
import { useEscapeCloses } from "../lib/use-escape-closes.ts";
import { useConnectionState, useSession, useUi, useViewOnly } from "../session/hooks.ts";
import { SessionProvider } from "../session/session-context.tsx";
import { setChatOpen } from "../session/ui-store.ts";
import { useRoomSession } from "../session/use-room-session.ts";
import { AvatarStack } from "../presence/AvatarStack.tsx";
import { ChatArea } from "../chat/ChatArea.tsx";
import { PHONE_LAYOUT_QUERY } from "../chat/phone-layout.ts";
import { LazyEditor as Editor } from "../editor/LazyEditor.tsx";
import { HistoryButton } from "../history/HistoryButton.tsx";
import { Logo } from "../app-shell/Logo.tsx";
import { EmptyHint } from "./EmptyHint.tsx";
import { NamePrompt } from "./NamePrompt.tsx";
import { PointerLayer } from "../pointer/PointerLayer.tsx";
import { PresenceList } from "../presence/PresenceList.tsx";
import { RoomTitle, RoomTitlePlaceholder } from "./RoomTitle.tsx";
import { RefusalBanner } from "../status/RefusalBanner.tsx";
import { SaveStatus } from "../status/SaveStatus.tsx";
import { ShareButton } from "../share/ShareDialog.tsx";
import { SizeWarning } from "../status/SizeWarning.tsx";
import { StatusBadge } from "../status/StatusBadge.tsx";
import { ViewOnlyPill } from "../status/ViewOnlyPill.tsx";
import { ThemeToggle } from "../app-shell/ThemeToggle.tsx";

export function RoomPage({ roomId }: { roomId: string }) {
  const [identity, setIdentity] = useState<Identity | undefined>(loadIdentity);
  const session = useRoomSession({ roomId, identity, tokens: "endpoint", chat: true });
  const narrow = useMediaQuery(PHONE_LAYOUT_QUERY);
  // A person who just typed their name goes on typing in the document.
  const [focusEditor, setFocusEditor] = useState(false);
  // Wide screens always show the chat; narrow ones fold it behind a toggle.
  useEffect(() => {
    if (session) setChatOpen(session.ui, !narrow);
  }, [session, narrow]);

  return (
    <SessionProvider session={session}>
      <div className="room">
        <header className="topbar">
          <Logo />
          {session ? <RoomTitle roomId={roomId} /> : <RoomTitlePlaceholder roomId={roomId} />}
          <div className="topbar-actions">
            {session && (
              <>
                <ViewOnlyPill />
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
        {identity === undefined && (
          <NamePrompt
            onSubmit={(name) => {
              setIdentity(saveIdentity(name));
              setFocusEditor(true);
            }}
          />
        )}
        {session ? (
          <Workspace
            roomId={roomId}
            narrow={narrow}
            focusEditor={focusEditor}
            onRename={(name) => setIdentity(saveIdentity(name))}
          />
        ) : (
          <main className="workspace" aria-busy="true" />
        )}
      </div>
    </SessionProvider>
  );
}

function Workspace(props: {
  roomId: string;
  narrow: boolean;
  focusEditor: boolean;
  onRename: (name: string) => void;
}) {
  const { roomId, narrow, focusEditor, onRename } = props;
  const { ui } = useSession();
  const [view, setView] = useState<EditorView>();
  useEffect(() => {
    if (focusEditor) view?.focus();
  }, [focusEditor, view]);
  const chatOpen = useUi((s) => s.chatOpen);
  const closeChat = useCallback(() => setChatOpen(ui, false), [ui]);
  useEscapeCloses("chat-panel", narrow && chatOpen, closeChat);
  // Turned away by the room: typing could never be sent, so the page does not take it.
  const refused = useConnectionState((s) => s.status === "error");
  // A view token, or access taken down to view while here: the page stops taking edits at once.
  const viewOnly = useViewOnly();
  return (
    <main className="workspace">
      <section className="document" aria-label="Document editor">
        <Editor onView={setView} readOnly={refused || viewOnly} />
        {view && <PointerLayer view={view} />}
        <EmptyHint roomId={roomId} />
      </section>
      <aside className="sidebar">
        <PresenceList onRename={onRename} />
        <ChatArea narrow={narrow} blocked={refused} readOnly={viewOnly} />
      </aside>
    </main>
  );
}
