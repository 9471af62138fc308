import { LIMITS } from "@edgeroom/shared";
import { useState, type FormEvent } from "react";

export function NamePrompt({ onSubmit }: { onSubmit: (name: string) => void }) {
  const [name, setName] = useState("");
  const trimmed = name.trim();

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (trimmed) onSubmit(trimmed);
  }

  return (
    <div className="backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="name-title"
        aria-describedby="name-help"
        onSubmit={submit}
      >
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
    </div>
  );
}
