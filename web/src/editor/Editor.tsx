import { markdown } from "./markdown-support.ts";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as Y from "yjs";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { useSession } from "../session/hooks.ts";
import { createNamedCarets } from "./named-carets.ts";
import { remoteCarets } from "./remote-carets.ts";

const editorTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "15px", backgroundColor: "transparent", color: "var(--text)" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.6" },
  ".cm-content": { padding: "20px 0", caretColor: "var(--accent)" },
  ".cm-line": { padding: "0 24px" },
  ".cm-gutters": { backgroundColor: "transparent", border: "none", color: "var(--text-faint)" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--text-muted)" },
  "&.cm-focused": { outline: "none" },
});

/** Markdown colours from the page's CSS variables, so both themes stay readable. */
const markdownHighlight = HighlightStyle.define([
  { tag: tags.heading, fontWeight: "700", color: "var(--text)" },
  { tag: tags.strong, fontWeight: "700" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.link, color: "var(--accent)", textDecoration: "underline" },
  { tag: tags.url, color: "var(--accent)" },
  { tag: tags.monospace, color: "var(--code)" },
  { tag: tags.quote, color: "var(--text-muted)", fontStyle: "italic" },
  { tag: [tags.processingInstruction, tags.meta, tags.contentSeparator], color: "var(--text-faint)" },
  { tag: tags.list, color: "var(--text)" },
]);

export function Editor({
  onView,
  readOnly = false,
}: {
  onView?: (view: EditorView | undefined) => void;
  /** View mode: the text can be read, selected and copied, not changed. */
  readOnly?: boolean;
}) {
  const { connection, pointers } = useSession();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const undoManager = new Y.UndoManager(connection.text);
    const view = new EditorView({
      parent: host.current,
      doc: connection.text.toString(),
      extensions: [
        keymap.of(yUndoManagerKeymap),
        basicSetup,
        markdown(),
        syntaxHighlighting(markdownHighlight),
        EditorView.lineWrapping,
        editorTheme,
        EditorView.contentAttributes.of({ "aria-label": "Document", "aria-readonly": String(readOnly) }),
        EditorState.readOnly.of(readOnly),
        // Text sync and undo from y-codemirror; carets from our own plugin (see remote-carets.ts).
        yCollab(connection.text, null, { undoManager }),
        remoteCarets({
          ytext: connection.text,
          awareness: connection.awareness,
          pointers: pointers.store,
          named: createNamedCarets(),
        }),
      ],
    });
    onView?.(view);
    return () => {
      onView?.(undefined);
      view.destroy();
      undoManager.destroy();
    };
  }, [connection, pointers, onView, readOnly]);

  return <div className="editor" ref={host} />;
}
