/** The embed URL and iframe snippet the share dialog shows and copies. */
import { embedQuery, type EmbedOptions } from "@edgeroom/shared";

export function embedUrl(origin: string, roomId: string, options: EmbedOptions): string {
  const query = new URLSearchParams(embedQuery(options)).toString();
  return `${origin}/embed/${encodeURIComponent(roomId)}${query ? `?${query}` : ""}`;
}

/** Copy-paste HTML for a host page; `title` is the frame's accessible name (the room's label, typed by anyone). */
export function iframeSnippet(url: string, title: string): string {
  return `<iframe src="${escapeAttribute(url)}" title="${escapeAttribute(title)}" width="400" height="300" style="border: 0" allow="clipboard-write"></iframe>`;
}

/** The words that go with a shared link: the room's label, so a chat or mail says what it opens. */
export function inviteText(label: string, link: string): string {
  return `Join “${label}” on Edgeroom: ${link}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
