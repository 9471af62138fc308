import { useLayoutEffect, type RefObject } from "react";

/**
 * Keeps a fixed sheet above the on-screen keyboard. Mobile browsers that lay
 * the keyboard over the page shrink only the visual viewport, so `bottom: 0`
 * would sit under the keys; this hands the sheet the covered height and the
 * visible height as CSS variables (numbers we measured, nothing from people).
 */
export function useKeyboardInset(target: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const viewport = window.visualViewport;
    const element = target.current;
    if (!viewport || !element) return;
    const update = (): void => {
      const covered = Math.max(0, window.innerHeight - viewport.height - viewport.offsetTop);
      element.style.setProperty("--keyboard-inset", `${Math.round(covered)}px`);
      element.style.setProperty("--visible-height", `${Math.round(viewport.height)}px`);
    };
    update();
    viewport.addEventListener("resize", update);
    viewport.addEventListener("scroll", update);
    return () => {
      viewport.removeEventListener("resize", update);
      viewport.removeEventListener("scroll", update);
    };
  }, [target]);
}
