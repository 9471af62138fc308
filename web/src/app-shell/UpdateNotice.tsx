/**
 * Registers the service worker that keeps the app shell for offline visits
 * (built by vite-plugin-pwa) and offers a reload when a new version is
 * waiting. The new version never takes over by itself: an open room keeps
 * running on the version it loaded until the person chooses to reload.
 */
import { LIMITS } from "@edgeroom/shared";
import { useRegisterSW } from "virtual:pwa-register/react";

export function UpdateNotice() {
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      // A tab may stay open for days: look for a new version now and then and when it comes back into view.
      const check = (): void => {
        if (navigator.onLine) registration.update().catch(() => undefined);
      };
      setInterval(check, LIMITS.appUpdateCheckMs);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") check();
      });
    },
  });
  return (
    // The live region is always there, so the notice is announced when it appears.
    <div className="update-notice-slot" aria-live="polite">
      {needRefresh && (
        <section className="update-notice" aria-label="New version available">
          <p>A new version of Edgeroom is available.</p>
          <button
            type="button"
            className="button primary small"
            onClick={() => void updateServiceWorker(true)}
          >
            Reload
          </button>
        </section>
      )}
    </div>
  );
}
