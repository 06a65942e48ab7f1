/** A calendar date with no time zone, as printed on identity documents. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids DST surprises.
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

export function toIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar day of an instant in the device's own time zone, as a date input writes it. */
export function localIsoDate(iso: string): string {
  const at = new Date(iso);
  return toIsoDate({ year: at.getFullYear(), month: at.getMonth() + 1, day: at.getDate() });
}
