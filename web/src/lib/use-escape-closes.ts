import { useEffect } from "react";

/**
 * Escape inside a folding panel (element `panelId`), or on the button that
 * opens it (`aria-controls`), closes the panel and puts focus back on that
 * button, as it would for a dialog. Listens on the document so the panel's
 * own markup needs nothing extra.
 */
export function useEscapeCloses(panelId: string, open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) return;
      const panel = document.getElementById(panelId);
      const opener = document.querySelector<HTMLElement>(`[aria-controls="${CSS.escape(panelId)}"]`);
      if (!panel?.contains(event.target) && !opener?.contains(event.target)) return;
      event.preventDefault();
      close();
      opener?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [panelId, open, close]);
}
