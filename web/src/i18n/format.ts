// Dates and numbers for people in Tangerang Selatan: Indonesian formats, the deployment's time
// zone (Asia/Jakarta; DESIGN.md "Time"), never the device's own zone or locale.
export const LOCALE = 'id-ID';
export const TIME_ZONE = 'Asia/Jakarta';

const dayFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
export const NUMBER_OPTIONS: Intl.NumberFormatOptions = { maximumFractionDigits: 1 };
export const PERCENT_OPTIONS: Intl.NumberFormatOptions = { style: 'percent', maximumFractionDigits: 0 };
const numberFormat = new Intl.NumberFormat(LOCALE, NUMBER_OPTIONS);
const percentFormat = new Intl.NumberFormat(LOCALE, PERCENT_OPTIONS);

/** Today's date (YYYY-MM-DD) in the deployment's time zone. */
export function todayIso(now: Date = new Date()): string {
  return isoDay.format(now);
}

/** A `Date` scalar (YYYY-MM-DD), shown as e.g. "Jum, 4 Des 2026". */
export function formatDay(iso: string): string {
  // Noon UTC of that day is the same calendar day in every Indonesian zone.
  return dayFormat.format(new Date(`${iso}T12:00:00Z`));
}

/** A `DateTime` scalar, shown as e.g. "4 Des 14.05" in Asia/Jakarta. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** A share (0.36 -> "36%"). */
export function formatPercent(share: number): string {
  return percentFormat.format(share);
}
