/** The app's line icons: one outlined path in the text colour, hidden from screen readers (the button names it). */
export function StrokeIcon({ d, size = 18, viewBox = 24 }: { d: string; size?: number; viewBox?: number }) {
  return (
    <svg
      viewBox={`0 0 ${viewBox} ${viewBox}`}
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth={viewBox === 24 ? 2 : 1.5}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
