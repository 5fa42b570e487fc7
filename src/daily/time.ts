import { createRequire } from "node:module";
import type { DateTime } from "luxon";
import { once } from "../core/once.js";

/**
 * luxon, loaded on first use (its CommonJS build, synchronously): the scheduler and `daily` need it,
 * a CLI query or the console's first answer should not pay its 260 KB.
 */
const luxon = once(() => createRequire(import.meta.url)("luxon") as typeof import("luxon"));

/** `at` as wall-clock text in `zone`, in luxon's `format` tokens ("ccc d LLL yyyy, HH:mm"). */
export function formatIn(at: Date, zone: string, format: string): string {
  return luxon().DateTime.fromJSDate(at, { zone }).toFormat(format);
}

/**
 * Wall-clock time in a channel's zone, through luxon (IANA zones from the platform's own Intl data,
 * no tables to ship or update). We need two things only: "what day is it there" and "when is HH:MM
 * on that day there"; a recurrence library (croner) would hide the DST choices we want explicit.
 */

/** The calendar day at `at` in `zone`, `YYYY-MM-DD`. */
export function localDay(at: Date | number, zone: string): string {
  return luxon().DateTime.fromMillis(+at, { zone }).toISODate() as string;
}

/** The day after `day` (a calendar day has no zone). */
export function nextDay(day: string): string {
  return luxon().DateTime.fromISO(day, { zone: "UTC" }).plus({ days: 1 }).toISODate() as string;
}

/** Longest DST gap in the IANA data (Lord Howe's is 30 minutes, most are 60); a day moves at most this much. */
const MAX_GAP_MINUTES = 24 * 60;

/**
 * The instant a post set for `time` (`HH:MM`) is due on `day` in `zone`:
 * - a time that does not exist that day (skipped by spring-forward, 02:30 in Berlin on the last
 *   Sunday of March) is due at the next minute that exists (03:00);
 * - a time that happens twice (02:30 on the fall-back Sunday) is due at the first of the two; the
 *   post is claimed per day, so the second never posts again.
 */
export function dueAt(day: string, time: string, zone: string): Date {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const midnight = luxon().DateTime.fromISO(day, { zone: "UTC" });
  for (let m = 0; m <= MAX_GAP_MINUTES; m++) {
    // The wall time wanted, as plain fields (UTC carries no DST), then read in the channel's zone.
    const wanted = midnight.plus({ minutes: hour * 60 + minute + m });
    const local = luxon().DateTime.fromObject(
      { year: wanted.year, month: wanted.month, day: wanted.day, hour: wanted.hour, minute: wanted.minute },
      { zone },
    );
    // Luxon moves a wall time that does not exist forward by the gap; one that exists maps to itself.
    if (local.hour === wanted.hour && local.minute === wanted.minute && local.day === wanted.day)
      return earliest(local, zone).toJSDate();
  }
  throw new Error(`Daily: no valid time near ${time} on ${day} in ${zone}`); // no real zone skips a day
}

/** Of a wall time that happens twice (fall-back), the first of the two instants. */
function earliest(local: DateTime, zone: string): DateTime {
  const before = luxon().DateTime.fromMillis(local.toMillis() - 86_400_000, { zone }).offset;
  const after = luxon().DateTime.fromMillis(local.toMillis() + 86_400_000, { zone }).offset;
  const repeated = before - after; // minutes the clock went back around this time, if any
  if (repeated <= 0) return local;
  const earlier = local.minus({ minutes: repeated });
  return earlier.hour === local.hour && earlier.minute === local.minute ? earlier : local;
}

/**
 * A subscription's post for the day `at` falls on in its zone: that day, when it is due, and whether
 * that day counts. It does not when the subscription was turned on after the minute had passed (its
 * first post is the next day's); turned on during the minute itself, it still posts then. The
 * scheduler and `daily status` both ask this, so the status never promises a post the scheduler skips.
 */
export function postOfDay(
  s: { time: string; timeZone: string; activeFrom: Date },
  at: number,
): { day: string; due: Date; counts: boolean } {
  const day = localDay(at, s.timeZone);
  const due = dueAt(day, s.time, s.timeZone);
  return { day, due, counts: s.activeFrom.getTime() < due.getTime() + 60_000 };
}
