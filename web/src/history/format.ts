/** How the history panel writes times, people and sizes. */

/** "Today 18:53:12", "Yesterday 09:02:40", or the locale's date and time for older versions. */
export function formatVersionTime(at: number, now = Date.now(), locale?: string): string {
  const when = new Date(at);
  const time = when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const days = dayNumber(new Date(now)) - dayNumber(when);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  return `${when.toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" })} ${time}`;
}

/** Local calendar days, so "Today" follows the reader's midnight, not UTC's. */
function dayNumber(date: Date): number {
  return Math.floor(new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() / 86_400_000);
}

export function formatEditors(editors: readonly string[]): string {
  if (editors.length === 0) return "No recorded edits";
  return editors.join(", ");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}
