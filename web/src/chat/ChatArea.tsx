import { StrokeIcon } from "../app-shell/StrokeIcon.tsx";
import { useRef, type Ref } from "react";
import { useSession, useUi } from "../session/hooks.ts";
import { setChatOpen } from "../session/ui-store.ts";
import { ChatPanel } from "./ChatPanel.tsx";
import { ChatSheet } from "./ChatSheet.tsx";

/** The chat panel, always shown beside the document on wide screens, and a sheet behind a button on phones. */
export function ChatArea({
  narrow,
  blocked,
  readOnly = false,
}: {
  narrow: boolean;
  blocked: boolean;
  /** View-only access (a view token, or access downgraded by the host's backend): the chat can be read, not written. */
  readOnly?: boolean;
}) {
  const { ui } = useSession();
  const open = useUi((s) => s.chatOpen);
  const toggle = useRef<HTMLButtonElement>(null);
  if (!narrow) return <ChatPanel id="chat-panel" blocked={blocked} readOnly={readOnly} />;
  return (
    <>
      <ChatToggle controls="chat-panel" className="chat-fab primary" buttonRef={toggle} icon />
      {open && (
        <ChatSheet
          blocked={blocked}
          readOnly={readOnly}
          onClose={() => {
            setChatOpen(ui, false);
            toggle.current?.focus();
          }}
        />
      )}
    </>
  );
}

/** On narrow screens the chat folds away; this button opens it and counts what arrived meanwhile. */
export function ChatToggle({
  controls,
  className = "",
  buttonRef,
  icon = false,
}: {
  controls: string;
  className?: string;
  buttonRef?: Ref<HTMLButtonElement>;
  icon?: boolean;
}) {
  const { ui } = useSession();
  const open = useUi((s) => s.chatOpen);
  const unread = useUi((s) => s.unreadChat);
  return (
    <button
      ref={buttonRef}
      type="button"
      className={`button chat-toggle ${className}`}
      aria-expanded={open}
      aria-controls={controls}
      onClick={() => setChatOpen(ui, !open)}
    >
      {icon && <ChatIcon />}
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

const CHAT_ICON =
  "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 4 13.5z";

function ChatIcon() {
  return <StrokeIcon d={CHAT_ICON} />;
}
