/**
 * Everyone else's caret and selection in the editor, and this person's own
 * caret published to awareness in y-codemirror.next's shape (`cursor: {
 * anchor, head }` as Yjs relative positions), so stock clients and ours keep
 * seeing each other.
 *
 * Ours rather than y-codemirror.next's yRemoteSelections: its caret widget compares only the colour, so
 * CodeMirror kept one person's name label on another person's caret of the same colour.
 */
import { CLIENT_TUNING, lightTint, readAwarenessUser } from "@edgeroom/shared";
import { Annotation, type EditorState, type Range } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { Decoration, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { StoreApi } from "zustand/vanilla";
import type { RemotePointer } from "../pointer/pointer-client.ts";
import { caretLabel, personKey } from "./caret-labels.ts";
import { RemoteCaretWidget } from "./remote-caret-widget.ts";
import { namedCaretsFacet, sameKeys, type NamedCaretsStore } from "./named-carets.ts";
import { remoteCaretsTheme } from "./remote-carets-theme.ts";

export interface RemoteCaretsConfig {
  ytext: Y.Text;
  awareness: Awareness;
  /** Others' pointers: a person's pointer that moved after their caret takes their name label. */
  pointers: StoreApi<{ remotes: Record<string, RemotePointer> }>;
  named: NamedCaretsStore;
}

interface CaretUser {
  name: string;
  color: string;
  colorLight?: string | undefined;
}

/** A caret whose awareness `user` is missing or malformed (the room drops bad ones). */
const ANONYMOUS = { name: "Anonymous", color: "#6c757d" };

/** Recompute the carets: someone else's awareness changed, a pointer moved, or a label's time is up. */
const refresh = Annotation.define<true>();

interface CaretMove {
  /** The cursor as published, to tell a move from a renewal or a status change. */
  cursor: string;
  at: number;
}

export function remoteCarets(config: RemoteCaretsConfig) {
  const plugin = ViewPlugin.define((view) => new RemoteCaretsView(view, config), {
    decorations: (value) => value.decorations,
  });
  return [namedCaretsFacet.of(config.named), remoteCaretsTheme, plugin];
}

class RemoteCaretsView {
  decorations: DecorationSet;
  readonly #view: EditorView;
  readonly #config: RemoteCaretsConfig;
  readonly #moves = new Map<number, CaretMove>();
  /** The people whose caret shows their name, and since when its caret last moved. */
  #namedSince = new Map<string, number>();
  #foldTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribePointers: () => void;

  constructor(view: EditorView, config: RemoteCaretsConfig) {
    this.#view = view;
    this.#config = config;
    // Carets already here when the editor opens start folded: nobody has moved yet.
    for (const [clientId, state] of config.awareness.getStates()) {
      this.#moves.set(clientId, { cursor: cursorKey(state), at: 0 });
    }
    config.awareness.on("change", this.#onAwareness);
    config.ytext.doc?.on("beforeObserverCalls", this.#onTransaction);
    this.#unsubscribePointers = config.pointers.subscribe(this.#onPointers);
    this.decorations = this.#build(view.state);
  }

  update(update: ViewUpdate): void {
    this.#publishOwnCursor(update);
    // Others' carets move only with the text or with a refresh (awareness, pointers, a label's time):
    // a local selection change or a scroll rebuilds nothing, and labels are measured again only when
    // they were rebuilt or the editor's geometry changed.
    const rebuild = update.docChanged || update.transactions.some((t) => t.annotation(refresh));
    if (rebuild) this.decorations = this.#build(update.state);
    if (rebuild || update.geometryChanged) {
      update.view.requestMeasure({ key: this, read: measureShifts, write: applyShifts });
    }
  }

  destroy(): void {
    clearTimeout(this.#foldTimer);
    this.#config.awareness.off("change", this.#onAwareness);
    this.#config.ytext.doc?.off("beforeObserverCalls", this.#onTransaction);
    this.#unsubscribePointers();
    this.#config.named.setState({ named: new Set() });
  }

  readonly #onAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }): void => {
    const { awareness } = this.#config;
    const now = Date.now();
    let others = false;
    for (const clientId of [...changes.added, ...changes.updated]) {
      if (clientId === awareness.clientID) continue;
      others = true;
      const cursor = cursorKey(awareness.getStates().get(clientId));
      if (this.#moves.get(clientId)?.cursor !== cursor) this.#moves.set(clientId, { cursor, at: now });
    }
    for (const clientId of changes.removed) {
      if (clientId === awareness.clientID) continue;
      others = true;
      this.#moves.delete(clientId);
    }
    if (others) this.#refresh();
  };

  /**
   * Typing counts as acting even when the published cursor does not change
   * (a caret at the end of the text is "end of text" before and after each
   * keystroke): a client whose clock grew inserted something. Before the
   * observers run, so the editor update this transaction causes sees it.
   */
  readonly #onTransaction = (transaction: Y.Transaction): void => {
    if (transaction.local) return;
    const now = Date.now();
    for (const [clientId, clock] of transaction.afterState) {
      if (clientId === this.#config.awareness.clientID) continue;
      if (clock <= (transaction.beforeState.get(clientId) ?? 0)) continue;
      const known = this.#moves.get(clientId);
      this.#moves.set(clientId, { cursor: known?.cursor ?? "", at: now });
    }
  };

  /** A named caret folds as soon as its person's pointer moves after it (checked cheaply, per pointer batch). */
  readonly #onPointers = (state: { remotes: Record<string, RemotePointer> }): void => {
    for (const pointer of Object.values(state.remotes)) {
      const since = this.#namedSince.get(personKey(pointer.user));
      if (since !== undefined && pointer.movedAt > since) {
        this.#refresh();
        return;
      }
    }
  };

  #refresh(): void {
    this.#view.dispatch({ annotations: refresh.of(true) });
  }

  /** As y-codemirror does: while the editor has focus, its main selection is this person's cursor. */
  #publishOwnCursor(update: ViewUpdate): void {
    const { awareness, ytext } = this.#config;
    const local = awareness.getLocalState();
    if (local === null) return;
    if (!update.view.hasFocus || !update.view.dom.ownerDocument.hasFocus()) return;
    const selection = update.state.selection.main;
    const anchor = Y.createRelativePositionFromTypeIndex(ytext, selection.anchor);
    const head = Y.createRelativePositionFromTypeIndex(ytext, selection.head);
    const current = readCursor(local);
    if (
      current &&
      Y.compareRelativePositions(current.anchor, anchor) &&
      Y.compareRelativePositions(current.head, head)
    )
      return;
    awareness.setLocalStateField("cursor", { anchor, head });
  }

  #build(state: EditorState): DecorationSet {
    const { awareness, ytext } = this.#config;
    const now = Date.now();
    const pointerAt = new Map<string, number>();
    for (const pointer of Object.values(this.#config.pointers.getState().remotes)) {
      const key = personKey(pointer.user);
      pointerAt.set(key, Math.max(pointerAt.get(key) ?? 0, pointer.movedAt));
    }
    const ranges: Array<Range<Decoration>> = [];
    const namedSince = new Map<string, number>();
    const length = state.doc.length;
    for (const [clientId, awarenessState] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const span = absoluteCursor(awarenessState, ytext);
      if (!span) continue;
      const user: CaretUser = readAwarenessUser(awarenessState) ?? ANONYMOUS;
      const anchor = Math.min(span.anchor, length);
      const head = Math.min(span.head, length);
      const caretAt = this.#moves.get(clientId)?.at ?? 0;
      const key = personKey(user);
      const label = caretLabel({
        now,
        caretAt,
        pointerAt: pointerAt.get(key),
        shownMs: CLIENT_TUNING.caretLabelShownMs,
      });
      if (label === "name") namedSince.set(key, Math.max(namedSince.get(key) ?? 0, caretAt));
      const tint = user.colorLight ?? lightTint(user.color);
      selectionRanges(state, Math.min(anchor, head), Math.max(anchor, head), tint, ranges);
      ranges.push(
        Decoration.widget({
          // Outside the selection, so the local caret is never drawn inside someone else's.
          side: head - anchor > 0 ? -1 : 1,
          widget: new RemoteCaretWidget(clientId, user.name, user.color, label),
        }).range(head),
      );
    }
    this.#namedSince = namedSince;
    const named = new Set(namedSince.keys());
    if (!sameKeys(named, this.#config.named.getState().named)) this.#config.named.setState({ named });
    this.#scheduleFold(now);
    return Decoration.set(ranges, true);
  }

  #scheduleFold(now: number): void {
    clearTimeout(this.#foldTimer);
    this.#foldTimer = undefined;
    if (this.#namedSince.size === 0) return;
    const foldsAt = Math.min(...this.#namedSince.values()) + CLIENT_TUNING.caretLabelShownMs;
    this.#foldTimer = setTimeout(() => this.#refresh(), Math.max(0, foldsAt - now) + 20);
  }
}

function selectionRanges(
  state: EditorState,
  from: number,
  to: number,
  tint: string,
  ranges: Array<Range<Decoration>>,
): void {
  if (from === to) return;
  const mark = Decoration.mark({
    class: "cm-ySelection",
    attributes: { style: `background-color: ${tint}` },
  });
  const first = state.doc.lineAt(from);
  const last = state.doc.lineAt(to);
  if (first.number === last.number) {
    ranges.push(mark.range(from, to));
    return;
  }
  if (first.to > from) ranges.push(mark.range(from, first.to));
  for (let number = first.number + 1; number < last.number; number++) {
    const line = state.doc.line(number);
    ranges.push(
      Decoration.line({
        attributes: { class: "cm-yLineSelection", style: `background-color: ${tint}` },
      }).range(line.from),
    );
  }
  if (to > last.from) ranges.push(mark.range(last.from, to));
}

/** The published cursor as text: equal texts mean the caret did not move. */
function cursorKey(state: unknown): string {
  const cursor =
    typeof state === "object" && state !== null ? (state as { cursor?: unknown }).cursor : undefined;
  return JSON.stringify(cursor ?? null);
}

function readCursor(state: unknown): { anchor: Y.RelativePosition; head: Y.RelativePosition } | undefined {
  const cursor = (state as { cursor?: { anchor?: unknown; head?: unknown } | null }).cursor;
  if (!cursor || typeof cursor !== "object" || !cursor.anchor || !cursor.head) return undefined;
  try {
    return {
      anchor: Y.createRelativePositionFromJSON(cursor.anchor),
      head: Y.createRelativePositionFromJSON(cursor.head),
    };
  } catch {
    return undefined;
  }
}

/** A remote cursor as indexes into our text, or undefined when it is missing, malformed or elsewhere. */
function absoluteCursor(state: unknown, ytext: Y.Text): { anchor: number; head: number } | undefined {
  const cursor = readCursor(state);
  const doc = ytext.doc;
  if (!cursor || !doc) return undefined;
  try {
    const anchor = Y.createAbsolutePositionFromRelativePosition(cursor.anchor, doc);
    const head = Y.createAbsolutePositionFromRelativePosition(cursor.head, doc);
    if (!anchor || !head || anchor.type !== ytext || head.type !== ytext) return undefined;
    return { anchor: anchor.index, head: head.index };
  } catch {
    return undefined;
  }
}

interface Shift {
  label: HTMLElement;
  px: number;
}

const EDGE_GAP_PX = 4;

/** How far each name label must move left to stay inside the editor's visible width. */
function measureShifts(view: EditorView): Shift[] {
  const box = view.scrollDOM.getBoundingClientRect();
  const left = box.left + EDGE_GAP_PX;
  const right = box.left + view.scrollDOM.clientWidth - EDGE_GAP_PX;
  const shifts: Shift[] = [];
  for (const label of view.contentDOM.querySelectorAll<HTMLElement>(".cm-ySelectionInfo")) {
    const caret = label.parentElement;
    if (!caret) continue;
    const start = caret.getBoundingClientRect().left;
    const overflow = start + label.offsetWidth - right;
    shifts.push({ label, px: overflow > 0 ? Math.max(0, Math.min(overflow, start - left)) : 0 });
  }
  return shifts;
}

function applyShifts(shifts: Shift[]): void {
  for (const { label, px } of shifts) {
    label.style.transform = px > 0 ? `translateX(${-Math.round(px)}px)` : "";
  }
}
