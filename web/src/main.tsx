import { lazy, StrictMode, Suspense, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { UpdateNotice } from "./app-shell/UpdateNotice.tsx";
import { Landing } from "./app-shell/Landing.tsx";
import { Logo } from "./app-shell/Logo.tsx";
import { NotFound } from "./app-shell/NotFound.tsx";
import { preloadEditor } from "./editor/LazyEditor.tsx";
import { parseRoute, type Route } from "./lib/route.ts";
import { applyTheme, initialTheme } from "./lib/theme.ts";
import "./styles.css";

// The landing page's chunk holds React and the landing only (see `pnpm size`); the room and the
// embed come as their own chunks, each fetching the editor's chunk alongside. NotFound is a few
// lines and stays here.
const RoomPage = lazy(() => {
  preloadEditor();
  return import("./room/RoomPage.tsx").then((m) => ({ default: m.RoomPage }));
});
const EmbedPage = lazy(() => {
  preloadEditor();
  return import("./embed/EmbedPage.tsx").then((m) => ({ default: m.EmbedPage }));
});

function App() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = (): void => setPath(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const navigate = (to: string): void => {
    history.pushState(null, "", to);
    setPath(to);
  };

  const route = parseRoute(path);
  // Embeds live in other sites' frames: they neither register the offline shell nor offer updates.
  if (route.page === "embed") {
    return (
      <Suspense>
        <EmbedPage key={route.roomId} roomId={route.roomId} />
      </Suspense>
    );
  }
  return (
    <>
      <Suspense fallback={<RoomShell />}>
        <Page route={route} navigate={navigate} />
      </Suspense>
      <UpdateNotice />
    </>
  );
}

function Page({
  route,
  navigate,
}: {
  route: Exclude<Route, { page: "embed" }>;
  navigate: (to: string) => void;
}) {
  switch (route.page) {
    case "landing":
      return <Landing navigate={navigate} />;
    case "room":
      return <RoomPage key={route.roomId} roomId={route.roomId} />;
    case "not-found":
      return <NotFound />;
  }
}

/** What a room link shows while the room's chunk arrives: the page's frame, without content yet. */
function RoomShell() {
  return (
    <div className="room">
      <header className="topbar">
        <Logo />
      </header>
      <main className="workspace" aria-busy="true" />
    </div>
  );
}

applyTheme(initialTheme(), false);
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
