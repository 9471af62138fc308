import { useRef, useState } from "react";
import { HistoryPanel } from "./HistoryPanel.tsx";

/** Opens the version history; focus comes back here when it closes. */
export function HistoryButton() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        History
      </button>
      {open && (
        <HistoryPanel
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
    </>
  );
}
