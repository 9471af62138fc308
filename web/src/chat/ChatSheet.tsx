import { useEffect, useRef } from "react";
import { ChatPanel } from "./ChatPanel.tsx";
import { useKeyboardInset } from "./use-keyboard-inset.ts";
import "./chat-sheet.css";

/**
 * The phone's chat: a sheet over the document (from the bottom in portrait,
 * from the right in landscape) whose composer stays in view above the keyboard.
 * Not modal: the document stays live behind it, and a tap on the dimmed part,
 * the close button or Escape puts it away.
 */
export function ChatSheet({
  blocked,
  readOnly = false,
  onClose,
}: {
  blocked: boolean;
  readOnly?: boolean;
  onClose: () => void;
}) {
  const sheet = useRef<HTMLDivElement>(null);
  useKeyboardInset(sheet);
  useEffect(() => {
    // Opening the chat means wanting to write: start in the message box (or at the close button when there is none).
    const box = sheet.current?.querySelector<HTMLElement>("textarea:not(:disabled)");
    (box ?? sheet.current?.querySelector<HTMLElement>("button"))?.focus();
  }, []);

  // On the document, not the sheet: after Send, the emptied form disables its button and focus falls to the body.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== "Escape" || event.defaultPrevented || document.querySelector("dialog[open]")) return;
      onClose();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [onClose]);

  return (
    <>
      <div className="chat-scrim" aria-hidden="true" onClick={onClose} />
      <div ref={sheet} className="chat-sheet">
        <ChatPanel id="chat-panel" blocked={blocked} readOnly={readOnly} onClose={onClose} />
      </div>
    </>
  );
}
