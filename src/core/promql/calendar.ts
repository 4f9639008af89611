/** UTC calendar fields of an instant, without Date (src/core has no clock). */

/** Civil date and time of `ms` (UTC), with Go's conventions (weekday 0 = Sunday). */
export function civil(ms: number): { year: number; month: number; day: number; hour: number; minute: number; weekday: number; yearDay: number; daysInMonth: number } {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  // Howard Hinnant's days_from_civil inverse.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let yearDay = day;
  for (let m = 0; m < month - 1; m++) yearDay += monthDays[m]!;
  return {
    year,
    month,
    day,
    hour: Math.floor(rest / 3_600_000),
    minute: Math.floor((rest % 3_600_000) / 60_000),
    weekday: (((days + 4) % 7) + 7) % 7,
    yearDay,
    daysInMonth: monthDays[month - 1]!,
  };
}
