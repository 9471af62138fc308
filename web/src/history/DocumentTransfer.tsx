import { useRef, useState } from "react";
import { downloadMarkdown, downloadYjsUpdate, importYjsUpdate } from "./export-import.ts";
import { useDocumentText, useSession } from "../session/hooks.ts";

/** Export the document as Markdown or a Yjs update; import a Yjs update into an empty room. */
export function DocumentTransfer() {
  const { connection, roomId } = useSession();
  const empty = useDocumentText().length === 0;
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();

  async function importFile(file: File | undefined): Promise<void> {
    if (!file) return;
    const problem = await importYjsUpdate(connection, file);
    setMessage(problem ? { error: true, text: problem } : { error: false, text: `Imported ${file.name}.` });
    if (input.current) input.current.value = "";
  }

  return (
    <div className="history-footer" role="group" aria-label="Export and import">
      <button type="button" className="button" onClick={() => downloadMarkdown(connection, roomId)}>
        Download Markdown
      </button>
      <button type="button" className="button" onClick={() => downloadYjsUpdate(connection, roomId)}>
        Download Yjs update
      </button>
      <button
        type="button"
        className="button"
        disabled={!empty}
        aria-describedby="import-help"
        onClick={() => input.current?.click()}
      >
        Import Yjs update…
      </button>
      <input
        ref={input}
        type="file"
        accept=".yjs,application/octet-stream"
        hidden
        aria-label="Yjs update file to import"
        onChange={(event) => void importFile(event.target.files?.[0])}
      />
      <p id="import-help" className="version-help">
        {empty
          ? "Import fills this empty document from a .yjs file."
          : "Import works only in an empty document."}
      </p>
      {message && (
        <p
          className={message.error ? "history-problem" : "version-help"}
          role={message.error ? "alert" : undefined}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
