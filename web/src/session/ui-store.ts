/** The page's layout state, apart from the room's data: whether the chat panel is open and what arrived while it was not. */
import { createStore } from "zustand/vanilla";
import type { AppLane } from "../connection/app-lane.ts";

export interface UiState {
  chatOpen: boolean;
  /** Messages from others that arrived while the chat panel was closed. */
  unreadChat: number;
}

export type UiStore = ReturnType<typeof createUiStore>;

export function createUiStore() {
  return createStore<UiState>()(() => ({ chatOpen: true, unreadChat: 0 }));
}

export function setChatOpen(ui: UiStore, open: boolean): void {
  ui.setState(open ? { chatOpen: true, unreadChat: 0 } : { chatOpen: false });
}

/** Counts others' chat messages that arrive while the panel is closed; returns a function that stops. */
export function countUnreadChat(lane: Pick<AppLane, "on">, ui: UiStore): () => void {
  return lane.on("chat-message", () =>
    ui.setState((s) => ({ unreadChat: s.chatOpen ? 0 : s.unreadChat + 1 })),
  );
}
