/**
 * partyserver answers an exception thrown while it sets up a socket
 * (`onStart`, `onConnect`) with the error's stack: a 500 body, or a
 * `{"error": stack}` message on the socket before closing it with 1011.
 * It rethrows anything that is not an `Error`, and the Worker answers that
 * with a bare 500. So the room logs the details here and throws a value
 * that carries none.
 */
export class RoomSetupFailed {
  readonly reason = "room setup failed";
}

export async function guardSetup<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    console.error(`Edgeroom: ${step} failed:`, error);
    // Not an Error on purpose: partyserver would echo an Error to the client with its stack.
    throw new RoomSetupFailed();
  }
}
