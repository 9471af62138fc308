import { Logo } from "./Logo.tsx";

export function NotFound() {
  return (
    <div className="landing">
      <header className="topbar">
        <Logo />
      </header>
      <main className="hero">
        <h1>No such page</h1>
        <p className="lede">
          Room names may use letters, digits, <code>-</code> and <code>_</code>, up to 64 characters.
        </p>
        <a className="button primary" href="/">
          Back to the start
        </a>
      </main>
    </div>
  );
}
