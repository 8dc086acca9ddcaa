/** The app mark: a latch key in a rounded tile. */
export function Logo({ size = 48 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="logo-fill" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6b63f6" />
          <stop offset="1" stopColor="#3f37c9" />
        </linearGradient>
      </defs>
      <rect width="48" height="48" rx="12" fill="url(#logo-fill)" />
      <circle cx="18" cy="27" r="7" fill="none" stroke="#fff" strokeWidth="3.2" />
      <path d="M23 22 34 11M30 15l3.5 3.5M27 18l2.5 2.5" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
    </svg>
  );
}
