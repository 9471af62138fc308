/**
 * The room's saved versions over the app lane: the list (kept live, since the
 * room pushes it after every snapshot), one version's text on request, and
 * restoring a version as a new change on top of the current document.
 */
import { ErrorCode, LIMITS, type ServerAppMessageOf, type Version } from "@edgeroom/shared";
import { createStore } from "zustand/vanilla";
import type { RoomConnection } from "../connection/room-connection.ts";
import { LatestRequest } from "./latest-request.ts";
import { replaceText } from "./text-edit.ts";

export interface HistoryState {
  /** Newest first; `undefined` until the room answered once. */
  versions: Version[] | undefined;
  /** The version shown read-only: its time, and its text once it arrived. */
  selected: { at: number; text: string | undefined } | undefined;
  /** The list's "Now" entry is chosen: the live document, shown for comparison, never restored. */
  showingNow: boolean;
  problem: string | undefined;
}

export class HistoryClient {
  readonly store = createStore<HistoryState>()(() => ({
    versions: undefined,
    selected: undefined,
    showingNow: false,
    problem: undefined,
  }));
  readonly #connection: RoomConnection;
  readonly #cleanups: Array<() => void> = [];
  #open = false;
  readonly #versionRequest = new LatestRequest<number>();
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(connection: RoomConnection) {
    this.#connection = connection;
    this.#cleanups.push(
      connection.lane.on("versions", (message) =>
        this.store.setState({ versions: [...message.versions].reverse(), problem: undefined }),
      ),
      connection.lane.on("version", (message) => {
        this.store.setState((s) =>
          s.selected?.at === message.at ? { selected: { at: message.at, text: message.text } } : {},
        );
        this.#sendVersionRequest(this.#versionRequest.settled());
      }),
      connection.lane.on("error", (message) => this.#onError(message)),
      connection.lane.onOpen(() => {
        if (this.#open) this.#requestList();
        this.#sendVersionRequest(this.#versionRequest.reset());
      }),
    );
  }

  /** The panel opened: ask for the list now (and after every reconnect while it stays open). */
  open(): void {
    this.#open = true;
    this.#requestList();
  }

  close(): void {
    this.#open = false;
    this.store.setState({ selected: undefined, showingNow: false, problem: undefined });
  }

  select(at: number): void {
    this.store.setState({ selected: { at, text: undefined }, showingNow: false, problem: undefined });
    this.#sendVersionRequest(this.#versionRequest.want(at));
  }

  /** Shows the live document; a version request still in flight is simply ignored when it lands. */
  selectNow(): void {
    this.store.setState({ selected: undefined, showingNow: true, problem: undefined });
  }

  /** Applies the selected version's text as a new, undoable change; returns whether it did. */
  restoreSelected(): boolean {
    const text = this.store.getState().selected?.text;
    if (text === undefined) return false;
    replaceText(this.#connection.text, text);
    return true;
  }

  destroy(): void {
    clearTimeout(this.#retry);
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  #sendVersionRequest(at: number | undefined): void {
    if (at === undefined) return;
    if (!this.#connection.lane.send({ type: "version-get", at })) {
      this.store.setState({ problem: "You are offline; versions load once the room is back." });
    }
  }

  #requestList(): void {
    if (!this.#connection.lane.send({ type: "versions-list" })) {
      this.store.setState({ problem: "You are offline; the list loads once the room is back." });
    }
  }

  #onError(message: ServerAppMessageOf<"error">): void {
    if (message.code === ErrorCode.versionNotFound || message.code === ErrorCode.versionsUnavailable) {
      this.store.setState({ problem: message.message });
      this.#sendVersionRequest(this.#versionRequest.settled());
    } else if (message.code === ErrorCode.rateLimited) {
      // The request may have been dropped over the room's history budget: ask again shortly.
      clearTimeout(this.#retry);
      this.#retry = setTimeout(
        () => this.#sendVersionRequest(this.#versionRequest.reset()),
        LIMITS.rateLimitRetryMs,
      );
    }
  }
}
