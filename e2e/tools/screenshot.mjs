// Takes the README screenshots: a room with two people in it, light and dark, wide and narrow.
// Usage: node e2e/tools/screenshot.mjs [baseUrl] [outDir]   (needs a running `pnpm start`)
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:8787";
const out = process.argv[3] ?? "docs";
const room = `${base}/r/screenshot-${Date.now().toString(36)}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  async function person(name, color, theme, viewport) {
    const context = await browser.newContext({ viewport, colorScheme: theme, deviceScaleFactor: 1 });
    await context.addInitScript(
      ([n, c]) => localStorage.setItem("edgeroom:user", JSON.stringify({ name: n, color: c })),
      [name, color],
    );
    const page = await context.newPage();
    await page.goto(room);
    await page.getByRole("status").filter({ hasText: "Synced" }).waitFor();
    return page;
  }
  const ada = await person("Ada Lovelace", "#c2255c", "light", { width: 1280, height: 760 });
  const grace = await person("Grace Hopper", "#1971c2", "dark", { width: 1280, height: 760 });
  await ada.getByRole("textbox", { name: "Document" }).click();
  await ada.keyboard.type("# Launch plan\n\nShip the **edge** room on Friday.\n\n- [x] Durable Object per room\n- [ ] Chat\n", { delay: 5 });
  await grace.getByRole("textbox", { name: "Document" }).click();
  await grace.keyboard.press("Control+End");
  await grace.keyboard.type("- [ ] Cursors for 50 people", { delay: 5 });
  await ada.waitForTimeout(600);
  await ada.screenshot({ path: `${out}/room-light.png` });
  await grace.screenshot({ path: `${out}/room-dark.png` });
  const narrow = await person("Linus", "#2f9e44", "light", { width: 390, height: 760 });
  await narrow.waitForTimeout(400);
  await narrow.screenshot({ path: `${out}/room-narrow.png` });
  const landingContext = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  const landing = await landingContext.newPage();
  await landing.goto(base);
  await landing.screenshot({ path: `${out}/landing.png` });
  const promptPage = await landingContext.newPage();
  await promptPage.goto(room);
  await promptPage.getByRole("textbox", { name: "Your name" }).waitFor();
  await promptPage.screenshot({ path: `${out}/name-prompt.png` });
} finally {
  await browser.close();
}
