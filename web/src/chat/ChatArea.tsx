import { useSession, useUi } from "../session/hooks.ts";
import { setChatOpen } from "../session/ui-store.ts";
import { ChatPanel } from "./ChatPanel.tsx";

/** The chat panel, always shown on wide screens and behind a toggle on narrow ones. */
export function ChatArea({ narrow, blocked }: { narrow: boolean; blocked: boolean }) {
  const open = useUi((s) => s.chatOpen);
  return (
    <>
      {narrow && <ChatToggle controls="chat-panel" />}
      {(!narrow || open) && <ChatPanel id="chat-panel" blocked={blocked} />}
    </>
  );
}

/** On narrow screens the chat folds away; this button opens it and counts what arrived meanwhile. */
export function ChatToggle({ controls }: { controls: string }) {
  const { ui } = useSession();
  const open = useUi((s) => s.chatOpen);
  const unread = useUi((s) => s.unreadChat);
  return (
    <button
      type="button"
      className="button chat-toggle"
      aria-expanded={open}
      aria-controls={controls}
      onClick={() => setChatOpen(ui, !open)}
    >
      {open ? "Hide chat" : "Chat"}
      {!open && unread > 0 && (
        <span className="badge">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </button>
  );
}
