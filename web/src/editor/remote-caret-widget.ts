/** One remote caret: a bar in the person's colour, a small flag on top, and their name label. */
import { WidgetType } from "@codemirror/view";
import { labelTextColor } from "../lib/palette.ts";
import type { CaretLabel } from "./caret-labels.ts";

/** Keeps the caret's inline box from collapsing, without adding text a reader or a copy would see. */
const WORD_JOINER = "\u2060";

export class RemoteCaretWidget extends WidgetType {
  constructor(
    readonly clientId: number,
    readonly name: string,
    /** Validated `#rrggbb` (readAwarenessUser), so it is safe as a style value. */
    readonly color: string,
    readonly label: CaretLabel,
  ) {
    super();
  }

  /** Every field counts: CodeMirror reuses the DOM of an equal widget, name label included. */
  override eq(other: RemoteCaretWidget): boolean {
    return (
      other.clientId === this.clientId &&
      other.name === this.name &&
      other.color === this.color &&
      other.label === this.label
    );
  }

  toDOM(): HTMLElement {
    const caret = document.createElement("span");
    caret.className = "cm-ySelectionCaret";
    caret.dataset["label"] = this.label;
    caret.setAttribute("aria-hidden", "true");
    caret.style.backgroundColor = this.color;
    caret.style.borderColor = this.color;
    const flag = document.createElement("span");
    flag.className = "cm-ySelectionCaretDot";
    const info = document.createElement("span");
    info.className = "cm-ySelectionInfo";
    info.textContent = this.name;
    // The whole name when the label shortens it.
    info.title = this.name;
    info.style.backgroundColor = this.color;
    info.style.color = labelTextColor(this.color);
    caret.append(WORD_JOINER, flag, WORD_JOINER, info, WORD_JOINER);
    return caret;
  }

  override get estimatedHeight(): number {
    return -1;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}
