import { foldable, syntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { markdown } from "../src/editor/markdown-support.ts";

function stateOf(doc: string): EditorState {
  return EditorState.create({ doc, extensions: [markdown()] });
}

function foldOfLine(state: EditorState, lineNumber: number) {
  const line = state.doc.line(lineNumber);
  return foldable(state, line.from, line.to);
}

describe("markdown support", () => {
  it("parses CommonMark as before: headings, emphasis, lists and inline HTML as one tag", () => {
    const state = stateOf("# Title\n\n*a* and <b>bold</b>\n\n- one\n- two");
    const names: string[] = [];
    syntaxTree(state).iterate({ enter: (node) => void names.push(node.name) });
    expect(names).toEqual(expect.arrayContaining(["ATXHeading1", "Emphasis", "HTMLTag", "BulletList"]));
  });

  it("folds a heading's section up to the next heading of the same or a higher level", () => {
    const doc = "# One\ntext\n## Two\nmore\n# Three\nlast";
    const state = stateOf(doc);
    expect(foldOfLine(state, 1)).toEqual({ from: "# One".length, to: doc.indexOf("\n# Three") });
    expect(foldOfLine(state, 3)).toEqual({ from: doc.indexOf("\nmore"), to: doc.indexOf("\n# Three") });
    // A last heading folds to the end; a heading with nothing under it does not fold.
    expect(foldOfLine(state, 5)).toEqual({ from: doc.indexOf("\nlast"), to: doc.length });
    expect(foldOfLine(stateOf("# Alone"), 1)).toBeNull();
  });
});
