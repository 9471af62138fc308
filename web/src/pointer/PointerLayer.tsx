/**
 * Everyone else's pointer over the document, each an arrow in their colour
 * with their name, gliding between updates (perfect-cursors interpolates
 * with splines). Positions are anchored to text, so a pointer lands on the
 * same words on every screen size. A person whose caret shows their name
 * right now (see editor/remote-carets.ts) gets no name on their pointer.
 */
import type { EditorView } from "@codemirror/view";
import { PerfectCursor } from "perfect-cursors";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { useStore } from "zustand";
import { personKey } from "../editor/caret-labels.ts";
import { createNamedCarets, namedCaretsFacet } from "../editor/named-carets.ts";
import { labelTextColor } from "../lib/palette.ts";
import type { RemotePointer } from "./pointer-client.ts";
import { useRemotePointers, useSession } from "../session/hooks.ts";
import "./pointer.css";

/** For an editor without remote carets: nobody's caret holds a name. */
const NO_NAMED_CARETS = createNamedCarets();

export function PointerLayer({ view }: { view: EditorView }) {
  const { pointers } = useSession();
  const remotes = useRemotePointers();
  const named = useStore(view.state.facet(namedCaretsFacet) ?? NO_NAMED_CARETS, (state) => state.named);
  const [, setLayoutTick] = useState(0);

  useEffect(() => {
    const scroller = view.scrollDOM;
    let last = { x: NaN, y: NaN };
    const onMove = (event: PointerEvent): void => {
      // Chromium sends moves at the same point when the text reflows under a still mouse (while typing):
      // not a move of the hand, and it would take the name label from the caret (see caret-labels.ts).
      if (event.clientX === last.x && event.clientY === last.y) return;
      last = { x: event.clientX, y: event.clientY };
      pointers.move(anchorOf(view, event.clientX, event.clientY));
    };
    const onLeave = (): void => {
      last = { x: NaN, y: NaN };
      pointers.move(null);
    };
    // Text reflows on resize; re-place pointers against the new layout.
    const onResize = (): void => setLayoutTick((n) => n + 1);
    scroller.addEventListener("pointermove", onMove);
    scroller.addEventListener("pointerleave", onLeave);
    window.addEventListener("resize", onResize);
    return () => {
      scroller.removeEventListener("pointermove", onMove);
      scroller.removeEventListener("pointerleave", onLeave);
      window.removeEventListener("resize", onResize);
    };
  }, [view, pointers]);

  return createPortal(
    <div className="pointer-layer" aria-hidden="true">
      {Object.entries(remotes).map(([key, remote]) => (
        <RemotePointerView
          key={key}
          view={view}
          remote={remote}
          showName={!named.has(personKey(remote.user))}
        />
      ))}
    </div>,
    view.scrollDOM,
  );
}

function RemotePointerView({
  view,
  remote,
  showName,
}: {
  view: EditorView;
  remote: RemotePointer;
  showName: boolean;
}) {
  const element = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const cursor = useRef<PerfectCursor>(null);

  useLayoutEffect(() => {
    const perfect = new PerfectCursor(([x, y]) => {
      if (element.current) element.current.style.transform = `translate(${x}px, ${y}px)`;
    });
    cursor.current = perfect;
    return () => perfect.dispose();
  }, []);

  // Two numbers rather than the pair, so the effect runs only when the place really moved.
  const [x, y] = placeOf(view, remote.at) ?? [];
  useLayoutEffect(() => {
    if (x !== undefined && y !== undefined && element.current) {
      element.current.hidden = false;
      cursor.current?.addPoint([x, y]);
      keepLabelInside(view, label.current, x);
    } else if (element.current) {
      element.current.hidden = true;
    }
  }, [view, x, y, showName]);

  return (
    <div ref={element} className="remote-pointer" data-name={remote.user.name} hidden>
      <svg width="18" height="22" viewBox="0 0 18 22">
        <path
          d="M1 1 L1 17 L5.5 13 L8.5 20.5 L11.5 19.2 L8.6 12 L15 12 Z"
          fill={remote.user.color}
          stroke="white"
          strokeWidth="1.5"
          strokeLinejoin="round"
        />
      </svg>
      <span
        ref={label}
        className="remote-pointer-label"
        hidden={!showName}
        title={remote.user.name}
        style={{ backgroundColor: remote.user.color, color: labelTextColor(remote.user.color) }}
      >
        {remote.user.name}
      </span>
    </div>
  );
}

const LABEL_OFFSET_PX = 12;
const EDGE_GAP_PX = 4;

/** Near the editor's right edge the label goes to the arrow's left, so it is never cut off. */
function keepLabelInside(view: EditorView, label: HTMLElement | null, x: number): void {
  if (!label || label.hidden) return;
  const right = view.scrollDOM.scrollLeft + view.scrollDOM.clientWidth - EDGE_GAP_PX;
  const fits = x + LABEL_OFFSET_PX + label.offsetWidth <= right;
  label.style.left = fits ? "" : `${Math.max(-x + EDGE_GAP_PX, -label.offsetWidth)}px`;
}

/** Screen point → a character position plus the offset from that character's top-left corner. */
function anchorOf(view: EditorView, x: number, y: number) {
  const pos = view.posAtCoords({ x, y }, false);
  const coords = view.coordsAtPos(pos);
  if (!coords) return null;
  return { pos, dx: Math.round(x - coords.left), dy: Math.round(y - coords.top) };
}

/** An anchor → a point in the scroller's content coordinates, or undefined when the text is not laid out. */
function placeOf(view: EditorView, at: RemotePointer["at"]): [number, number] | undefined {
  const coords = view.coordsAtPos(Math.min(at.pos, view.state.doc.length));
  if (!coords) return undefined;
  const box = view.scrollDOM.getBoundingClientRect();
  return [
    coords.left + at.dx - box.left + view.scrollDOM.scrollLeft,
    coords.top + at.dy - box.top + view.scrollDOM.scrollTop,
  ];
}
