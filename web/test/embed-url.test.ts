import { DEFAULT_EMBED_OPTIONS, parseEmbedOptions } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { embedUrl, iframeSnippet, inviteText } from "../src/embed/embed-url.ts";

describe("embed URL and snippet", () => {
  it("round-trip the options through the URL the share dialog builds", () => {
    const options = { ...DEFAULT_EMBED_OPTIONS, mode: "view" as const, chat: false, name: "Ada & Bo" };
    const url = embedUrl("https://edgeroom.example", "team-notes", options);
    expect(url).toBe("https://edgeroom.example/embed/team-notes?mode=view&chat=0&name=Ada+%26+Bo");
    expect(parseEmbedOptions(new URL(url).searchParams)).toEqual(options);
    expect(embedUrl("https://edgeroom.example", "team-notes", DEFAULT_EMBED_OPTIONS)).toBe(
      "https://edgeroom.example/embed/team-notes",
    );
  });

  it("escapes the URL for the HTML attribute", () => {
    const snippet = iframeSnippet("https://e.example/embed/x?mode=view&chat=0", "Plan — Edgeroom");
    expect(snippet).toContain('src="https://e.example/embed/x?mode=view&amp;chat=0"');
    expect(snippet).toContain('title="Plan — Edgeroom"');
  });

  it("keeps a room name that anyone typed inside its attribute", () => {
    const snippet = iframeSnippet("https://e.example/embed/x", '"><script>alert(1)</script> & co');
    expect(snippet).toContain('title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"');
    // The only quotes and angle brackets left are the snippet's own.
    expect(snippet.match(/"/g)).toHaveLength(12);
    expect(snippet.match(/</g)).toHaveLength(2);
  });

  it("says what a shared link opens", () => {
    expect(inviteText("Q3 plan", "https://e.example/r/x")).toBe(
      "Join “Q3 plan” on Edgeroom: https://e.example/r/x",
    );
  });
});
