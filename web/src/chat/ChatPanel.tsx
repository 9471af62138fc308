import { CLIENT_TUNING, LIMITS } from "@edgeroom/shared";
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { linkify } from "./linkify.ts";
import { typingText } from "./typing-text.ts";
import "./chat-panel.css";
import { useChat, useChatClient } from "../session/hooks.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function ChatPanel({
  id,
  readOnly = false,
  blocked = false,
  onClose,
}: {
  id: string;
  readOnly?: boolean;
  /** The room turned this page away: nothing can be sent (see RefusalBanner). */
  blocked?: boolean;
  /** Shown as a sheet (phones): a close button sits beside the title. */
  onClose?: () => void;
}) {
  const chat = useChatClient();
  const messages = useChat((s) => s.messages);
  const outbox = useChat((s) => s.outbox);
  const hasEarlier = useChat((s) => s.hasEarlier);
  const loadingEarlier = useChat((s) => s.loadingEarlier);
  const log = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);
  const count = messages.length + outbox.length;
  const newest = messages.at(-1)?.seq;

  // Follow new messages while the reader is at the bottom; stay put while they read history.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && pinnedToBottom.current) el.scrollTop = el.scrollHeight;
  }, [count, newest]);

  return (
    <section className="panel chat" id={id} aria-labelledby="chat-heading">
      <div className="chat-head">
        <h2 id="chat-heading" className="panel-title">
          Chat
        </h2>
        {onClose && (
          <button type="button" className="button icon small" aria-label="Close chat" onClick={onClose}>
            <span aria-hidden="true">✕</span>
          </button>
        )}
      </div>
      {/* role=log sits on a wrapper: a list keeps its own role (axe aria-allowed-role); tabIndex lets keyboards scroll it. */}
      <div
        ref={log}
        className="messages"
        role="log"
        aria-label="Chat"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinnedToBottom.current =
            el.scrollHeight - el.scrollTop - el.clientHeight < CLIENT_TUNING.chatPinnedSlackPx;
        }}
      >
        <ol className="message-list">
          {hasEarlier && (
            <li className="earlier">
              <button
                type="button"
                className="button small"
                onClick={() => chat.loadEarlier()}
                disabled={loadingEarlier}
              >
                {loadingEarlier ? "Loading…" : "Load earlier messages"}
              </button>
            </li>
          )}
          {messages.length === 0 && outbox.length === 0 && (
            <li className="empty">
              {readOnly || blocked ? "No messages yet." : "No messages yet. Say hello!"}
            </li>
          )}
          {messages.map((m) => (
            <li key={m.id} className="message">
              <MessageHeader
                name={m.author.name}
                color={m.author.color}
                bot={m.author.bot !== undefined}
                time={timeFormat.format(m.at)}
              />
              <MessageText text={m.text} />
            </li>
          ))}
          {outbox.map((item) => (
            <li key={item.id} className={`message pending${item.error ? " failed" : ""}`}>
              <MessageHeader
                name={item.author.name}
                color={item.author.color}
                time={item.error || blocked ? "not sent" : "sending…"}
              />
              <MessageText text={item.text} />
              {item.error && (
                <p className="message-error">
                  {item.error}{" "}
                  <button type="button" className="link-button" onClick={() => chat.discard(item.id)}>
                    Dismiss
                  </button>
                </p>
              )}
            </li>
          ))}
        </ol>
      </div>
      <TypingLine />
      {readOnly ? (
        <p className="composer-readonly">View only: you can read the chat, not send.</p>
      ) : (
        <Composer blocked={blocked} />
      )}
    </section>
  );
}

function MessageHeader(props: { name: string; color: string; bot?: boolean; time: string }) {
  const { name, color, bot = false, time } = props;
  return (
    <div className="message-header">
      <span className="dot" style={{ backgroundColor: color }} aria-hidden="true" />
      <span className="message-author">{name}</span>
      {/* A server's post (the host's backend, through the HTTP API): plain text, so screen readers say "bot" too. */}
      {bot && (
        <span className="message-bot" title="Posted by the site's server, not a person">
          bot
        </span>
      )}
      <span className="message-time">{time}</span>
    </div>
  );
}

function MessageText({ text }: { text: string }) {
  return (
    <p className="message-text">
      {linkify(text).map((segment, i) =>
        segment.kind === "link" ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </p>
  );
}

function TypingLine() {
  const typing = useChat((s) => s.typing);
  const text = typingText(Object.values(typing));
  return (
    <p className="typing" aria-live="polite">
      {text}
    </p>
  );
}

function Composer({ blocked }: { blocked: boolean }) {
  const chat = useChatClient();
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const tooLong = text.length > LIMITS.maxChatMessageLength;
  const nearLimit = text.length > LIMITS.maxChatMessageLength - CLIENT_TUNING.chatCountdownChars;

  useEffect(() => () => chat.stopTyping(), [chat]);

  function submit(): void {
    if (!text.trim() || tooLong || blocked) return;
    chat.send(text);
    setText("");
    // Sending empties the form and so disables Send: keep the writer in the box rather than on the page's body.
    box.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={box}
        aria-label="Message"
        placeholder="Message the room"
        rows={2}
        value={text}
        aria-invalid={tooLong}
        aria-describedby="composer-help"
        disabled={blocked}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) chat.noteTyping();
        }}
        onKeyDown={onKeyDown}
        onBlur={() => chat.stopTyping()}
      />
      <div className="composer-row">
        <span id="composer-help" className={`composer-help${tooLong ? " over" : ""}`}>
          {blocked
            ? "The room turned this page away: chat cannot send."
            : nearLimit
              ? `${text.length} / ${LIMITS.maxChatMessageLength}`
              : "Shift+Enter for a new line"}
        </span>
        <button type="submit" className="button primary small" disabled={!text.trim() || tooLong || blocked}>
          Send
        </button>
      </div>
    </form>
  );
}
