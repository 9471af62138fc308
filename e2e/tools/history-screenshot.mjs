// Screenshots of the version history drawer with a version selected and its diff shown:
// history.png (light, 1280 px) for the README, history-dark.png and history-narrow.png (390 px) to look at.
// Usage: node e2e/tools/history-screenshot.mjs [baseUrl] [outDir]   (needs a running `pnpm start`)
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../support/chromium.mjs";
import { openAsPerson } from "./screenshot-person.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8787";
const out = process.argv[3] ?? "docs";
const room = `${base}/r/history-${Date.now().toString(36)}`;

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const person = (name, color, theme, viewport) =>
    openAsPerson(browser, room, { name, color, theme, viewport });
  async function versionCount(page) {
    const panel = page.getByRole("dialog", { name: "Version history" });
    return panel.getByRole("list", { name: "Saved versions, newest first" }).getByRole("button").count();
  }
  async function saveAndWaitForVersion(page, expected) {
    await page.getByText("All changes saved").waitFor();
    await page.getByRole("button", { name: "History" }).click();
    for (let i = 0; i < 60 && (await versionCount(page)) < expected; i++) await page.waitForTimeout(500);
    await page.keyboard.press("Escape");
  }
  async function showOldestWithDiff(page) {
    await page.getByRole("button", { name: "History" }).click();
    const panel = page.getByRole("dialog", { name: "Version history" });
    await panel
      .getByRole("list", { name: "Saved versions, newest first" })
      .getByRole("button")
      .last()
      .click();
    await panel.getByLabel("Version text").waitFor();
    await panel.getByRole("button", { name: "Changes since" }).click();
    await page.waitForTimeout(300);
  }

  const ada = await person("Ada Lovelace", "#c2255c", "light", { width: 1280, height: 760 });
  const editor = ada.getByRole("textbox", { name: "Document" });
  await editor.click();
  await ada.keyboard.type("# Launch plan\n\nShip the edge room on Friday.\n\nOwner: Ada\n", { delay: 5 });
  await saveAndWaitForVersion(ada, 1);
  const grace = await person("Grace Hopper", "#1971c2", "dark", { width: 1280, height: 760 });
  await grace.getByRole("textbox", { name: "Document" }).click();
  await grace.keyboard.press("Control+End");
  await grace.keyboard.type("Reviewer: Grace\n", { delay: 5 });
  await grace.getByText("Ship the edge room on Friday.").dblclick();
  await grace.keyboard.type("Monday", { delay: 5 });
  await saveAndWaitForVersion(grace, 2);

  await showOldestWithDiff(ada);
  await ada.screenshot({ path: `${out}/history.png` });
  await showOldestWithDiff(grace);
  await grace.screenshot({ path: `${out}/history-dark.png` });
  const narrow = await person("Linus", "#2f9e44", "light", { width: 390, height: 760 });
  await showOldestWithDiff(narrow);
  await narrow.screenshot({ path: `${out}/history-narrow.png` });
} finally {
  await browser.close();
}
