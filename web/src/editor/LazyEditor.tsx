/**
 * The editor as a lazy chunk: CodeMirror and the Markdown language are most of
 * the room page's script, so the header, people and chat paint first and the
 * document takes its place when its chunk arrives.
 */
import { lazy, Suspense, type ComponentProps } from "react";
import type { Editor } from "./Editor.tsx";
import "./lazy-editor.css";

const loadEditor = () => import("./Editor.tsx");

/** Starts fetching the editor's chunk early (with the page's own), so it does not wait for the page to render. */
export function preloadEditor(): void {
  void loadEditor();
}

const EditorChunk = lazy(async () => ({ default: (await loadEditor()).Editor }));

export function LazyEditor(props: ComponentProps<typeof Editor>) {
  return (
    <Suspense fallback={<EditorPlaceholder />}>
      <EditorChunk {...props} />
    </Suspense>
  );
}

function EditorPlaceholder() {
  return (
    <div className="editor editor-placeholder" aria-busy="true">
      <span className="visually-hidden">Loading the document…</span>
      <span className="editor-placeholder-line" />
      <span className="editor-placeholder-line" />
      <span className="editor-placeholder-line short" />
    </div>
  );
}
