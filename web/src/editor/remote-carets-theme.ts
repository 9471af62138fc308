/**
 * How remote carets look: a thin bar, a flag when the person is quiet, and a
 * name label above the line while they act or while the caret is hovered.
 */
import { EditorView } from "@codemirror/view";

export const remoteCaretsTheme = EditorView.baseTheme({
  ".cm-yLineSelection": { padding: "0", margin: "0 2px 0 4px" },
  ".cm-ySelectionCaret": {
    position: "relative",
    borderLeft: "1px solid",
    borderRight: "1px solid",
    marginLeft: "-1px",
    marginRight: "-1px",
    boxSizing: "border-box",
    display: "inline",
  },
  // A wider, invisible hover target than the 2 px bar.
  ".cm-ySelectionCaret::before": {
    content: '""',
    position: "absolute",
    top: "-0.5em",
    bottom: "0",
    left: "-5px",
    width: "10px",
  },
  ".cm-ySelectionCaretDot": {
    position: "absolute",
    top: "-0.45em",
    left: "-1px",
    width: "8px",
    height: "7px",
    borderRadius: "0 3px 3px 0",
    backgroundColor: "inherit",
    boxSizing: "border-box",
  },
  ".cm-ySelectionCaret[data-label=name] > .cm-ySelectionCaretDot": { visibility: "hidden" },
  ".cm-ySelectionInfo": {
    position: "absolute",
    bottom: "calc(100% + 1px)",
    left: "-1px",
    maxWidth: "14em",
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    padding: "1px 6px",
    borderRadius: "4px 4px 4px 0",
    fontFamily: "var(--font-sans)",
    fontSize: "12px",
    fontStyle: "normal",
    fontWeight: "600",
    lineHeight: "1.35",
    userSelect: "none",
    pointerEvents: "none",
    zIndex: "101",
    transition: "opacity 0.2s ease-out, visibility 0.2s",
  },
  ".cm-ySelectionCaret[data-label=flag] > .cm-ySelectionInfo": { opacity: "0", visibility: "hidden" },
  ".cm-ySelectionCaret[data-label=flag]:hover > .cm-ySelectionInfo": { opacity: "1", visibility: "visible" },
});
