import { StrokeIcon } from "../app-shell/StrokeIcon.tsx";

/** The rename buttons' icon (the header's room name, your own entry in the people list). */
export function PencilIcon() {
  return (
    <StrokeIcon
      size={14}
      viewBox={16}
      d="M11.3 1.7a1.5 1.5 0 0 1 2.1 0l.9.9a1.5 1.5 0 0 1 0 2.1L5.6 13.4 2 14l.6-3.6 8.7-8.7Z"
    />
  );
}
