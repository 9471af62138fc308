export function Logo() {
  return (
    <a href="/" className="logo" aria-label="Edgeroom home">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path d="M9 10h14M9 16h10M9 22h14" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <span>Edgeroom</span>
    </a>
  );
}
