/** Every inspector answer: never cached, never sniffed into another type, never sent on as a referrer. */
export const PRIVATE_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
} as const;
