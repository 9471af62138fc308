/** The shared Y.Text every client edits: the room's one Markdown document. */
export const DOCUMENT_TEXT = "content";
