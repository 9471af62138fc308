import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { UpdateNotice } from "./app-shell/UpdateNotice.tsx";
import { EmbedPage } from "./embed/EmbedPage.tsx";
import { Landing } from "./app-shell/Landing.tsx";
import { NotFound } from "./app-shell/NotFound.tsx";
import { RoomPage } from "./room/RoomPage.tsx";
import { parseRoute, type Route } from "./lib/route.ts";
import { applyTheme, initialTheme } from "./lib/theme.ts";
import "./styles.css";

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
  if (route.page === "embed") return <EmbedPage key={route.roomId} roomId={route.roomId} />;
  return (
    <>
      <Page route={route} navigate={navigate} />
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

applyTheme(initialTheme(), false);
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
