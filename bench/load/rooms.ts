let counter = 0;

/** A fresh room per measurement, so no run sees another's document or sockets. */
export function freshRoom(label: string): string {
  counter += 1;
  return `bench-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
