/**
 * The one place React reads the room's stores: components call these hooks
 * with small selectors and re-render only when their slice changes.
 */
import type { VerifiedIdentity } from "@edgeroom/shared";
import { useContext, useSyncExternalStore } from "react";
import { useStore } from "zustand";
import type { ChatClient } from "../chat/chat-client.ts";
import type { ChatState } from "../chat/chat-store.ts";
import type { ConnectionState } from "../connection/connection-store.ts";
import type { Person } from "../presence/people.ts";
import type { HistoryState } from "../history/history-client.ts";
import type { RemotePointer } from "../pointer/pointer-client.ts";
import type { RoomSession } from "./room-session.ts";
import { SessionContext } from "./session-context.tsx";
import type { UiState } from "./ui-store.ts";

export function useSession(): RoomSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a SessionProvider above it");
  return session;
}

/** The chat client; only components shown when the session has a chat call this. */
export function useChatClient(): ChatClient {
  const chat = useSession().chat;
  if (!chat) throw new Error("this session has no chat");
  return chat;
}

export function useConnectionState<T>(select: (state: ConnectionState) => T): T {
  return useStore(useSession().connection.state, select);
}

export function useVerified(): VerifiedIdentity | undefined {
  return useConnectionState((s) => s.verified);
}

/**
 * The room's name as the room last told it: `""` when it has none (or before
 * the room said), so callers show their fallback (`roomLabel` in
 * room/room-label.ts), in the header, the tab title and share text alike.
 */
export function useRoomName(): string {
  return useConnectionState((s) => s.roomName ?? "");
}

/** View-only access: a view token, or access the host's backend downgraded to view (`access`) while connected. */
export function useViewOnly(): boolean {
  return useConnectionState((s) => s.verified?.scope === "view");
}

/** Whether this page may rename the room: connected, and not through a view-only token. */
export function useCanRenameRoom(): boolean {
  return useConnectionState((s) => s.verified?.scope !== "view" && s.status !== "error");
}

export function usePeople(): Person[] {
  return useStore(useSession().connection.presence, (s) => s.people);
}

export function useChat<T>(select: (state: ChatState) => T): T {
  return useStore(useChatClient().store, select);
}

export function useUi<T>(select: (state: UiState) => T): T {
  return useStore(useSession().ui, select);
}

export function useRemotePointers(): Record<string, RemotePointer> {
  return useStore(useSession().pointers.store, (s) => s.remotes);
}

export function useHistoryState<T>(select: (state: HistoryState) => T): T {
  return useStore(useSession().history.store, select);
}

/** The shared document's text, re-read whenever anyone changes it. */
export function useDocumentText(): string {
  const text = useSession().connection.text;
  return useSyncExternalStore(
    (onChange) => {
      text.observe(onChange);
      return () => text.unobserve(onChange);
    },
    () => text.toString(),
  );
}

/** Whether the shared document has no text; re-read on changes, but cheap whatever its size. */
export function useDocumentIsEmpty(): boolean {
  const text = useSession().connection.text;
  return useSyncExternalStore(
    (onChange) => {
      text.observe(onChange);
      return () => text.unobserve(onChange);
    },
    () => text.length === 0,
  );
}
