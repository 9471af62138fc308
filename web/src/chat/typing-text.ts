import type { TypingLease } from "./chat-store.ts";

/** "Ada is typing…", "Ada and Bo are typing…", "3 people are typing…" (one entry per name). */
export function typingText(leases: TypingLease[]): string {
  const names = [...new Set(leases.map((lease) => lease.user.name))];
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
