import { isValidRoomId } from "@edgeroom/shared";

export type Route = { page: "landing" } | { page: "room"; roomId: string } | { page: "not-found" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "landing" };
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1]) {
    const roomId = decodeURIComponent(match[1]);
    return isValidRoomId(roomId) ? { page: "room", roomId } : { page: "not-found" };
  }
  return { page: "not-found" };
}
