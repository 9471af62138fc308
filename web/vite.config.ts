import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `pnpm --filter @edgeroom/web dev` serves the app with hot reload and sends
// room sockets to a `wrangler dev` running on port 8787 (`pnpm start`).
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { "/parties": { target: "http://127.0.0.1:8787", ws: true } },
  },
});
