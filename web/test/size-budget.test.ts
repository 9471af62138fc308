import { describe, expect, it } from "vitest";
import {
  BUDGETS,
  checkBudgets,
  formatTable,
  pageFiles,
  scriptsInHtml,
  type Manifest,
} from "../scripts/size-budget.mjs";

/** A build shaped like ours: an entry, lazy room/embed/editor chunks, shared chunks and an on-demand one. */
const manifest: Manifest = {
  "index.html": {
    file: "assets/index.js",
    isEntry: true,
    imports: ["_react.js"],
    dynamicImports: ["src/room/RoomPage.tsx", "src/embed/EmbedPage.tsx", "src/editor/Editor.tsx"],
  },
  "_react.js": { file: "assets/react.js" },
  "_session.js": { file: "assets/session.js", imports: ["index.html", "_yjs.js"] },
  "_yjs.js": { file: "assets/yjs.js", imports: ["index.html"] },
  "src/room/RoomPage.tsx": {
    file: "assets/RoomPage.js",
    isDynamicEntry: true,
    imports: ["index.html", "_session.js"],
    dynamicImports: ["src/history/HistoryPanel.tsx"],
  },
  "src/history/HistoryPanel.tsx": { file: "assets/HistoryPanel.js", isDynamicEntry: true },
  "src/embed/EmbedPage.tsx": { file: "assets/EmbedPage.js", isDynamicEntry: true, imports: ["_session.js"] },
  "src/editor/Editor.tsx": { file: "assets/Editor.js", isDynamicEntry: true, imports: ["_yjs.js"] },
  "style.css": { file: "assets/style.css" },
};

describe("the pages' scripts in the manifest", () => {
  it("the landing is the entry and its static imports; a room adds its page and the editor, not what loads on demand", () => {
    const pages = pageFiles(manifest);
    expect(pages.landing).toEqual(["assets/index.js", "assets/react.js"]);
    expect(pages.room).toEqual([
      "assets/Editor.js",
      "assets/RoomPage.js",
      "assets/index.js",
      "assets/react.js",
      "assets/session.js",
      "assets/yjs.js",
    ]);
    expect(pages.embed).toContain("assets/EmbedPage.js");
    expect(pages.embed).not.toContain("assets/RoomPage.js");
  });

  it("counts every script index.html names, even one the manifest does not list under the entry", () => {
    const html =
      '<script type="module" crossorigin src="/assets/index.js"></script>\n' +
      '<link rel="modulepreload" crossorigin href="/assets/extra.js">\n<link rel="stylesheet" href="/assets/style.css">';
    expect(scriptsInHtml(html)).toEqual(["assets/index.js", "assets/extra.js"]);
    expect(pageFiles(manifest, scriptsInHtml(html)).landing).toContain("assets/extra.js");
  });

  it("names a chunk the pages expect but the build lacks, instead of counting nothing", () => {
    const { ["src/editor/Editor.tsx"]: _editor, ...withoutEditor } = manifest;
    expect(() => pageFiles(withoutEditor)).toThrow(/src\/editor\/Editor\.tsx/);
  });
});

describe("the budgets", () => {
  const pages = { landing: ["a.js"], room: ["a.js", "b.js"], embed: ["a.js"] };

  it("passes at the budget and fails one byte past it, naming the page", () => {
    const sizes = (room: number) => (file: string) => (file === "a.js" ? 100_000 : room - 100_000);
    expect(checkBudgets(pages, sizes(BUDGETS.room)).over).toEqual([]);
    const past = checkBudgets(pages, sizes(BUDGETS.room + 1));
    expect(past.over).toEqual(["room"]);
    expect(formatTable(past.rows)).toMatch(/room\s+2\s+300\.0 kB\s+300\.0 kB\s+OVER BUDGET/);
  });

  it("fails the landing past 120 kB even when the room is within its own", () => {
    const { over } = checkBudgets(pages, (file) => (file === "a.js" ? BUDGETS.landing + 1 : 1000));
    expect(over).toEqual(["landing"]);
  });
});
