import { CLIENT_TUNING } from "@edgeroom/shared";
import { useEffect, useState } from "react";

/** Copies `text`; the label confirms for two seconds. */
export function CopyButton({ text, label, done }: { text: string; label: string; done: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), CLIENT_TUNING.copiedNoticeMs);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions); show the text instead.
      prompt("Copy this:", text);
    }
  }

  return (
    <button type="button" className="button" onClick={() => void copy()} aria-live="polite">
      {copied ? done : label}
    </button>
  );
}
