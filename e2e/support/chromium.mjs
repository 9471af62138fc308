// How every browser here is launched: Debian's Chromium (Playwright cannot download its own on these
// machines), or whatever CHROMIUM_PATH names. Plain JS so the screenshot tool can use it without a build.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};
