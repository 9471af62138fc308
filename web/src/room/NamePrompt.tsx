import { LIMITS } from "@edgeroom/shared";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import "./name-prompt.css";

/**
 * The first visit's name question, as a modal <dialog>: showModal() makes the
 * page behind inert (nothing behind is operable or reachable by Tab), and
 * Tab wraps around inside it. A name is required, so Escape does not dismiss it.
 */
export function NamePrompt({ onSubmit }: { onSubmit: (name: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const trimmed = name.trim();

  useEffect(() => {
    // React's development double-run of effects would otherwise open it twice.
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (trimmed) onSubmit(trimmed);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>): void {
    // Stopping the key stops the close request itself; Chromium lets a second `cancel` through otherwise.
    if (event.key === "Escape") event.preventDefault();
    if (event.key === "Tab") keepTabInside(event);
  }

  return (
    <dialog
      ref={dialog}
      className="name-prompt"
      aria-labelledby="name-title"
      aria-describedby="name-help"
      onKeyDown={onKeyDown}
      onCancel={(event) => event.preventDefault()}
      // Should the browser close it anyway, it comes back: the room cannot start without a name.
      onClose={() => dialog.current?.showModal()}
    >
      <form className="name-prompt-form" onSubmit={submit}>
        <h1 id="name-title">What should we call you?</h1>
        <p id="name-help">Others in the room see this name next to your cursor.</p>
        <label className="field">
          <span>Your name</span>
          <input
            autoFocus
            value={name}
            maxLength={LIMITS.maxNameLength}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
          />
        </label>
        <button type="submit" className="button primary" disabled={!trimmed}>
          Join
        </button>
      </form>
    </dialog>
  );
}

/** A modal <dialog> keeps Tab from the page behind but lets it leave to the browser's own UI; this wraps it around. */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
  const focusable = [
    ...event.currentTarget.querySelectorAll<HTMLElement>("input, button, select, textarea, a[href]"),
  ].filter((el) => !el.matches(":disabled"));
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
