import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/**
 * Paths the service worker must never answer from its cache: the embed (its
 * framing and token rules are decided per request), its config, room sockets
 * and any API. Navigations here always go to the network.
 */
const NETWORK_ONLY_NAVIGATIONS = [/^\/embed\//, /^\/embed-config\.json$/, /^\/parties\//, /^\/api\//];

// `pnpm --filter @edgeroom/web dev` serves the app with hot reload and sends
// room sockets to a `wrangler dev` running on port 8787 (`pnpm start`).
export default defineConfig({
  plugins: [
    react(),
    // The app shell (HTML, JS, CSS) is precached so a room link opens offline; the page
    // registers the worker itself (see UpdateNotice) and asks before a new version takes over.
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        name: "Edgeroom",
        short_name: "Edgeroom",
        description: "A shared document and chat room.",
        start_url: "/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1971c2",
        icons: [{ src: "/favicon.svg", sizes: "any", type: "image/svg+xml" }],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg}"],
        // Only the pages the app routes fall back to the shell; anything else asks the network.
        navigateFallback: "index.html",
        navigateFallbackAllowlist: [/^\/$/, /^\/r\/[^/]+\/?$/],
        navigateFallbackDenylist: NETWORK_ONLY_NAVIGATIONS,
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // The first visit's page is controlled at once (so it works offline without a reload);
        // later versions still wait for the person's Reload (`registerType: "prompt"`).
        clientsClaim: true,
      },
    }),
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // `pnpm size` reads the chunk graph from dist/.vite/manifest.json (kept out of the deploy by public/.assetsignore).
    manifest: true,
    // One stylesheet for every page, in one order: split per lazy chunk, a page's CSS would load
    // after styles.css on some routes and before it on others.
    cssCodeSplit: false,
  },
  server: {
    proxy: { "/parties": { target: "http://127.0.0.1:8787", ws: true } },
  },
});
