// The city-style mark (public/icons/icon.svg) inline, so the header never waits for, or
// misses offline, a separate image request.
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg viewBox="0 0 512 512" width={size} height={size} aria-hidden="true" focusable="false">
      <rect width="512" height="512" rx="112" fill="#0b5d4b" />
      <path d="M256 70 410 128v110c0 96-64 168-154 204C166 406 102 334 102 238V128Z" fill="#f3b821" />
      <path d="M256 98 386 146v92c0 82-54 144-130 176-76-32-130-94-130-176v-92Z" fill="#0b5d4b" />
      <rect x="170" y="262" width="40" height="80" rx="8" fill="#fff" />
      <rect x="236" y="222" width="40" height="120" rx="8" fill="#fff" />
      <rect x="302" y="178" width="40" height="164" rx="8" fill="#f3b821" />
      <path d="M150 372c36-18 70-18 106 0s70 18 106 0" fill="none" stroke="#5fb3e8" strokeWidth="16" strokeLinecap="round" />
    </svg>
  );
}
