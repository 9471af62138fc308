/** The embed URL and iframe snippet the share dialog shows and copies. */
import { embedQuery, type EmbedOptions } from "@edgeroom/shared";

export function embedUrl(origin: string, roomId: string, options: EmbedOptions): string {
  const query = new URLSearchParams(embedQuery(options)).toString();
  return `${origin}/embed/${encodeURIComponent(roomId)}${query ? `?${query}` : ""}`;
}

/** Copy-paste HTML for a host page. The URL is query-encoded, so only `&` needs escaping in the attribute. */
export function iframeSnippet(url: string, roomId: string): string {
  const src = url.replace(/&/g, "&amp;");
  return `<iframe src="${src}" title="Edgeroom: ${roomId}" width="400" height="300" style="border: 0" allow="clipboard-write"></iframe>`;
}
