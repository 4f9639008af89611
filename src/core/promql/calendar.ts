/** UTC calendar fields of an instant, without Date (src/core has no clock). */
import { civilFromDays } from "../time.js";

/** Civil date and time of `ms` (UTC), with Go's conventions (weekday 0 = Sunday). */
export function civil(ms: number): { year: number; month: number; day: number; hour: number; minute: number; weekday: number; yearDay: number; daysInMonth: number } {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const [year, month, day] = civilFromDays(days);
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
