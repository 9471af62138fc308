import { CLIENT_TUNING } from "@edgeroom/shared";

/** A new room id: 128 random bits, base64url-encoded (22 characters). */
export function newRoomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CLIENT_TUNING.roomIdBytes));
  const base64 = btoa(String.fromCharCode(...bytes));
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
