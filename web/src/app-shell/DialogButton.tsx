import { useRef, useState, type ReactNode } from "react";
import { StrokeIcon } from "./StrokeIcon.tsx";

/**
 * A header button that opens a dialog (History, Share): an icon and a label that
 * phones hide visually, and focus back on the button when the dialog closes.
 */
export function DialogButton({
  label,
  icon,
  dialog,
}: {
  label: string;
  /** The icon's path, drawn in a 24×24 box. */
  icon: string;
  dialog: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button with-icon"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <StrokeIcon d={icon} />
        <span className="button-label">{label}</span>
      </button>
      {open && dialog(close)}
    </>
  );
}
