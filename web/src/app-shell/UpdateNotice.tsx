/**
 * Registers the service worker that keeps the app shell for offline visits
 * (built by vite-plugin-pwa) and offers a reload when a new version is
 * waiting. The new version never takes over by itself: an open room keeps
 * running on the version it loaded until the person chooses to reload.
 */
import { LIMITS } from "@edgeroom/shared";
import { useRef } from "react";
import { useRegisterSW } from "virtual:pwa-register/react";

export function UpdateNotice() {
  const registered = useRef<ServiceWorkerRegistration>(undefined);
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    // The Reload button reloads by itself (below): the plugin would only reload pages that
    // were already controlled when they loaded, and a first visit's page is not.
    onNeedReload: () => undefined,
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      registered.current = registration;
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
  const reload = (): void => {
    // Another tab may have let the new version in already; then a plain reload gets it.
    if (!registered.current?.waiting) {
      location.reload();
      return;
    }
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
    void updateServiceWorker();
  };
  return (
    // The live region is always there, so the notice is announced when it appears.
    <div className="update-notice-slot" aria-live="polite">
      {needRefresh && (
        <section className="update-notice" aria-label="New version available">
          <p>A new version of Edgeroom is available.</p>
          <button type="button" className="button primary small" onClick={reload}>
            Reload
          </button>
        </section>
      )}
    </div>
  );
}
