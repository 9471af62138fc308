/**
 * Phones in either orientation: narrow (portrait), or too short for a sidebar
 * beside the document (landscape, 390 px tall). Chat becomes a sheet and the
 * header one compact row. styles.css and chat-sheet.css repeat this query.
 */
export const PHONE_LAYOUT_QUERY = "(max-width: 720px), (max-height: 500px)";
