import { isValidRoomId } from "@edgeroom/shared";

export type Route =
  | { page: "landing" }
  | { page: "room"; roomId: string }
  | { page: "embed"; roomId: string }
  | { page: "not-found" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "landing" };
  const match = /^\/(r|embed)\/([^/]+)\/?$/.exec(pathname);
  if (match?.[2]) {
    const roomId = decodeURIComponent(match[2]);
    const page = match[1] === "embed" ? "embed" : "room";
    return isValidRoomId(roomId) ? { page, roomId } : { page: "not-found" };
  }
  return { page: "not-found" };
}
