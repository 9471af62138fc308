import { useEffect, useState } from "react";

export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions); show the link instead.
      prompt("Copy this link:", location.href);
    }
  }

  return (
    <button type="button" className="button" onClick={() => void copy()} aria-label="Copy link">
      {copied ? "Link copied" : "Copy link"}
    </button>
  );
}
