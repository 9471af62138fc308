// A person for the screenshot tools: their own browser context with a chosen name, theme and
// viewport, already in the room and synced.
export async function openAsPerson(browser, room, { name, color, theme, viewport }) {
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
