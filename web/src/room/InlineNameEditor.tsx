import { useId, useRef, useState, type FormEvent } from "react";
import "./inline-name-editor.css";

export interface InlineNameEditorProps {
  /** The name being changed, selected when the field opens. */
  initial: string;
  /** The field's accessible name, e.g. "Room name". */
  label: string;
  maxLength: number;
  placeholder?: string;
  /** Saves the typed text; returns an error to show (the field stays open), or undefined when done. */
  onSave: (typed: string) => string | undefined;
  /** The field closed (saved or cancelled): the caller shows the name again and takes focus back. */
  onClose: () => void;
}

/** One text field that renames something in place: Enter or leaving the field saves, Escape cancels. */
export function InlineNameEditor({
  initial,
  label,
  maxLength,
  placeholder,
  onSave,
  onClose,
}: InlineNameEditorProps) {
  const [typed, setTyped] = useState(initial);
  const [error, setError] = useState<string>();
  const errorId = useId();
  // Escape closes the field, and its blur must not then save what was cancelled.
  const closed = useRef(false);

  function save(): void {
    if (closed.current) return;
    const problem = typed === initial ? undefined : onSave(typed);
    if (problem) {
      setError(problem);
      return;
    }
    closed.current = true;
    onClose();
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    save();
  }

  return (
    <form className="inline-name" onSubmit={submit}>
      <input
        className="inline-name-input"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        // Opened by a click or a key on purpose: the field takes focus like a dialog would.
        autoFocus
        value={typed}
        maxLength={maxLength}
        placeholder={placeholder}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setTyped(e.target.value);
          setError(undefined);
        }}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key !== "Escape") return;
          e.preventDefault();
          e.stopPropagation();
          closed.current = true;
          onClose();
        }}
      />
      {error && (
        <span id={errorId} className="inline-name-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
