import { newRoomId } from "../lib/room-id.ts";
import { Logo } from "./Logo.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";

export function Landing({ navigate }: { navigate: (path: string) => void }) {
  return (
    <div className="landing">
      <header className="topbar">
        <Logo />
        <div className="topbar-actions">
          <ThemeToggle />
        </div>
      </header>
      <main className="hero">
        <h1>Write together, live.</h1>
        <p className="lede">
          Open a room, share the link, and edit one document with everyone in it. Every keystroke is stored
          before it is confirmed, so nothing you see as saved is ever lost.
        </p>
        <button type="button" className="button primary large" onClick={() => navigate(`/r/${newRoomId()}`)}>
          New room
        </button>
        <p className="hint">
          Or open any <code>/r/&lt;name&gt;</code> for a public named room.
        </p>
      </main>
    </div>
  );
}
