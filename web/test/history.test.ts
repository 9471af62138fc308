import { describe, expect, it } from "vitest";
import { LatestRequest } from "../src/history/latest-request.ts";
import * as Y from "yjs";
import { formatBytes, formatEditors, formatVersionTime } from "../src/history/format.ts";
import { restoreBlocker, type RestoreSituation } from "../src/history/restore-blocker.ts";
import { minimalEdit } from "@edgeroom/shared";
import { changesSince, replaceText } from "../src/history/text-edit.ts";

describe("restoring a version", () => {
  it("replaces only the middle that differs", () => {
    expect(minimalEdit("Hello brave world", "Hello new world")).toEqual({
      index: 6,
      deleteCount: 5,
      insert: "new",
    });
    expect(minimalEdit("same", "same")).toBeUndefined();
    expect(minimalEdit("", "new text")).toEqual({ index: 0, deleteCount: 0, insert: "new text" });
    expect(minimalEdit("aaa", "aa")).toEqual({ index: 2, deleteCount: 1, insert: "" });
  });

  it("never splits a surrogate pair", () => {
    const edit = minimalEdit("a😀b", "a😃b");
    expect(edit).toEqual({ index: 1, deleteCount: 2, insert: "😃" });
  });

  it("is one local, undoable change that every peer receives", () => {
    const doc = new Y.Doc();
    const text = doc.getText("content");
    text.insert(0, "Version one.");
    const undo = new Y.UndoManager(text, { captureTimeout: 0 });
    text.delete(0, text.length);
    text.insert(0, "Something else entirely.");
    undo.stopCapturing();

    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const updates: Array<{ origin: unknown }> = [];
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      updates.push({ origin });
      Y.applyUpdate(peer, update);
    });

    replaceText(text, "Version one.");
    expect(text.toString()).toBe("Version one.");
    expect(peer.getText("content").toString()).toBe("Version one.");
    expect(updates).toEqual([{ origin: null }]);

    undo.undo();
    expect(text.toString()).toBe("Something else entirely.");
    expect(peer.getText("content").toString()).toBe("Something else entirely.");
  });
});

describe("the changes since a version", () => {
  it("reads forwards in time: the version's old lines are removed, the document's new lines added", () => {
    expect(changesSince("keep\nthen only\n", "keep\nnow only\n")).toEqual([
      { kind: "same", text: "keep" },
      { kind: "removed", text: "then only" },
      { kind: "added", text: "now only" },
    ]);
  });

  it("shows text typed since as added and text deleted since as removed", () => {
    expect(changesSince("one\n", "one\ntwo\n")).toEqual([
      { kind: "same", text: "one" },
      { kind: "added", text: "two" },
    ]);
    expect(changesSince("one\ntwo\n", "two\n")).toEqual([
      { kind: "removed", text: "one" },
      { kind: "same", text: "two" },
    ]);
  });
});

describe("why Restore is disabled", () => {
  const able: RestoreSituation = {
    showingNow: false,
    versionText: "old",
    currentText: "new",
    scope: "edit",
    status: "synced",
  };

  it("allows restoring a loaded version that differs from now", () => {
    expect(restoreBlocker(able)).toBeUndefined();
    expect(restoreBlocker({ ...able, scope: undefined, status: "offline" })).toBeUndefined();
  });

  it("names the reason in words", () => {
    expect(restoreBlocker({ ...able, showingNow: true, versionText: undefined })).toBe(
      "This is the current version.",
    );
    expect(restoreBlocker({ ...able, versionText: "new" })).toBe(
      "This version is the same as the current document.",
    );
    expect(restoreBlocker({ ...able, versionText: undefined })).toBe("Loading this version…");
    expect(restoreBlocker({ ...able, scope: "view" })).toMatch(/^View-only access/);
    expect(restoreBlocker({ ...able, status: "error" })).toMatch(/turned this page away/);
  });
});

describe("history formatting", () => {
  const now = new Date(2026, 10, 22, 19, 0, 0).getTime();

  it("says Today and Yesterday by the reader's calendar", () => {
    expect(formatVersionTime(new Date(2026, 10, 22, 0, 0, 5).getTime(), now, "en-GB")).toBe("Today 00:00:05");
    expect(formatVersionTime(new Date(2026, 10, 21, 23, 59, 59).getTime(), now, "en-GB")).toBe(
      "Yesterday 23:59:59",
    );
    expect(formatVersionTime(new Date(2026, 10, 2, 8, 5, 0).getTime(), now, "en-GB")).toBe(
      "2 Nov 2026 08:05:00",
    );
  });

  it("lists editors and sizes readably", () => {
    expect(formatEditors(["Ada", "Bo"])).toBe("Ada, Bo");
    expect(formatEditors([])).toBe("No recorded edits");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KiB");
    expect(formatBytes(4 * 1024 * 1024)).toBe("4 MiB");
  });
});

describe("asking for versions", () => {
  it("keeps one request in flight and only the newest wish behind it", () => {
    const requests = new LatestRequest<number>();
    expect(requests.want(1)).toBe(1);
    expect(requests.want(2)).toBeUndefined();
    expect(requests.want(3)).toBeUndefined();
    expect(requests.settled()).toBe(3);
    expect(requests.settled()).toBeUndefined();
    expect(requests.want(4)).toBe(4);
    expect(requests.want(4)).toBeUndefined();
    expect(requests.settled()).toBeUndefined();
  });

  it("sends the waiting wish again on a new socket", () => {
    const requests = new LatestRequest<number>();
    expect(requests.want(7)).toBe(7);
    expect(requests.reset()).toBe(7);
    expect(requests.settled()).toBeUndefined();
    expect(requests.reset()).toBeUndefined();
  });
});
