/**
 * Markdown for the editor without `@codemirror/lang-markdown`'s `markdown()`:
 * that function always bundles the HTML, CSS and JavaScript parsers (for HTML
 * typed inside Markdown), about 70 KB of the room page's 300 KB compressed
 * budget (see `pnpm size`). This keeps what people use: the same CommonMark
 * parser and highlighting, Enter continuing lists and quotes, Backspace removing
 * markup, pasting a URL over selected text as a link, and folding a heading's
 * section. What goes: completion of HTML tag names after `<` and closing tags
 * typed by the editor.
 */
import { commonmarkLanguage, markdownKeymap, pasteURLAsLink } from "@codemirror/lang-markdown";
import { foldService, LanguageSupport, syntaxTree } from "@codemirror/language";
import { Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";

// `@lezer/common` is not a direct dependency of the web app; its node type comes through the tree.
type SyntaxNode = ReturnType<ReturnType<typeof syntaxTree>["resolveInner"]>;

/** The level of an ATX (`## Title`) or Setext (underlined) heading node, or undefined. */
function headingLevel(node: SyntaxNode): number | undefined {
  const match = /^(?:ATX|Setext)Heading([1-6])$/.exec(node.name);
  return match ? Number(match[1]) : undefined;
}

/** A heading folds everything up to the next heading of the same or a higher level. */
const foldHeadingSection = foldService.of((state, lineStart, lineEnd) => {
  let heading: SyntaxNode | null = syntaxTree(state).resolveInner(lineEnd, -1);
  while (heading && headingLevel(heading) === undefined) heading = heading.parent;
  if (!heading || heading.from < lineStart) return null;
  const level = headingLevel(heading) ?? 0;
  let sectionEnd = heading.to;
  for (let next = heading.nextSibling; next; next = next.nextSibling) {
    const nextLevel = headingLevel(next);
    if (nextLevel !== undefined && nextLevel <= level) break;
    sectionEnd = next.to;
  }
  return sectionEnd > lineEnd ? { from: lineEnd, to: sectionEnd } : null;
});

/** Markdown language support for the editor (a drop-in for lang-markdown's `markdown()` as the editor used it). */
export function markdown(): LanguageSupport {
  return new LanguageSupport(commonmarkLanguage, [
    foldHeadingSection,
    pasteURLAsLink,
    Prec.high(keymap.of(markdownKeymap)),
  ]);
}
