/**
 * Every relative link in the project's Markdown points at a file that
 * exists, and every `#anchor` at a heading in it: the README is the front
 * door to docs/, shared/PROTOCOL.md and bench/README.md, and a section that
 * moves must not leave a dead link behind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const DOCUMENTS = [
  "README.md",
  "shared/PROTOCOL.md",
  "bench/README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

/** Markdown without code, where brackets are not links. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, "``");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = (match[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "");
}

describe("Markdown links", () => {
  it("reads the documents it checks", () => {
    for (const document of DOCUMENTS) expect(existsSync(join(ROOT, document)), document).toBe(true);
    expect(DOCUMENTS).toContain("docs/architecture.md");
  });

  for (const document of DOCUMENTS) {
    it(`every relative link in ${document} resolves`, () => {
      const path = join(ROOT, document);
      const broken: string[] = [];
      for (const link of links(readFileSync(path, "utf8"))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
        const [file = "", anchor] = link.split("#");
        const target = file === "" ? path : join(dirname(path), decodeURI(file));
        if (!existsSync(target)) {
          broken.push(`${link} (no ${relative(ROOT, target)})`);
          continue;
        }
        if (anchor === undefined || !target.endsWith(".md") || statSync(target).isDirectory()) continue;
        if (!anchors(readFileSync(target, "utf8")).has(anchor))
          broken.push(`${link} (no heading #${anchor})`);
      }
      expect(broken).toEqual([]);
    });
  }

  it("the README links every document in docs/, the protocol and the benchmark", () => {
    const readme = new Set(links(readFileSync(join(ROOT, "README.md"), "utf8")).map((l) => l.split("#")[0]));
    for (const document of DOCUMENTS.filter((d) => d !== "README.md"))
      expect(readme, document).toContain(document);
  });
});
