import { useStore } from "zustand";
import type { ChatClient } from "../chat/chat-client.ts";
import { ChatPanel } from "./ChatPanel.tsx";

/** The chat panel, always shown on wide screens and behind a toggle on narrow ones. */
export function ChatArea({ chat, narrow, blocked }: { chat: ChatClient; narrow: boolean; blocked: boolean }) {
  const open = useStore(chat.store, (s) => s.panelOpen);
  return (
    <>
      {narrow && <ChatToggle chat={chat} controls="chat-panel" />}
      {(!narrow || open) && <ChatPanel chat={chat} id="chat-panel" blocked={blocked} />}
    </>
  );
}

/** On narrow screens the chat folds away; this button opens it and counts what arrived meanwhile. */
export function ChatToggle({ chat, controls }: { chat: ChatClient; controls: string }) {
  const open = useStore(chat.store, (s) => s.panelOpen);
  const unread = useStore(chat.store, (s) => s.unread);
  return (
    <button
      type="button"
      className="button chat-toggle"
      aria-expanded={open}
      aria-controls={controls}
      onClick={() => chat.setPanelOpen(!open)}
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
