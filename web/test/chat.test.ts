import type { ChatMessage } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { mergeMessages } from "../src/chat/chat-store.ts";
import { linkify } from "../src/chat/linkify.ts";
import { typingText } from "../src/chat/typing-text.ts";

const author = { name: "Ada", color: "#c2255c" };
const message = (seq: number): ChatMessage => ({
  id: `message-${seq}`,
  seq,
  at: seq,
  author,
  text: `#${seq}`,
});

describe("linkify", () => {
  it("turns http(s) URLs into links and leaves everything else as text", () => {
    expect(linkify("see https://example.com/a?b=1, then")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: ", then" },
    ]);
    expect(linkify("javascript:alert(1) and <img src=x onerror=alert(1)>")).toEqual([
      { kind: "text", text: "javascript:alert(1) and <img src=x onerror=alert(1)>" },
    ]);
  });
});

describe("typing text", () => {
  const lease = (name: string) => ({ user: { name, color: "#123456" }, expiresAt: 0 });
  it("names one or two people and counts more, once per name", () => {
    expect(typingText([])).toBe("");
    expect(typingText([lease("Ada"), lease("Ada")])).toBe("Ada is typing…");
    expect(typingText([lease("Ada"), lease("Bo")])).toBe("Ada and Bo are typing…");
    expect(typingText([lease("Ada"), lease("Bo"), lease("Cy")])).toBe("3 people are typing…");
  });
});

describe("mergeMessages", () => {
  it("keeps messages ordered by sequence with each one once", () => {
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3), message(5)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 5]);
  });
});
