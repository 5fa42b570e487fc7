import { describe, expect, it } from "vitest";
import { dueAt, localDay, nextDay } from "../../src/daily/time.js";

describe("when a quote of the day is due", () => {
  // Each row: a zone's day and time, and the instant it is due, with why.
  it.each([
    ["Europe/Berlin", "2026-12-03", "09:30", "2026-12-03T08:30:00Z", "winter, UTC+1"],
    ["Europe/Berlin", "2026-07-03", "09:30", "2026-07-03T07:30:00Z", "summer, UTC+2"],
    [
      "Europe/Berlin",
      "2026-03-29",
      "02:30",
      "2026-03-29T01:00:00Z",
      "skipped by spring-forward: the next minute, 03:00",
    ],
    ["Europe/Berlin", "2026-03-29", "02:00", "2026-03-29T01:00:00Z", "the gap's first minute is skipped too"],
    ["Europe/Berlin", "2026-03-29", "03:00", "2026-03-29T01:00:00Z", "the first minute after the gap exists"],
    ["Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T00:30:00Z", "repeated by fall-back: the first one"],
    ["America/New_York", "2026-03-08", "02:15", "2026-03-08T07:00:00Z", "US spring-forward: 03:00 EDT"],
    ["America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z", "US fall-back: 01:30 EDT, not EST"],
    ["Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-03T15:30:00Z", "a 30-minute gap: 02:30"],
    ["Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00Z", "a 30-minute repeat: the first"],
    ["Pacific/Kiritimati", "2026-12-04", "00:01", "2026-12-03T10:01:00Z", "UTC+14: the day before in UTC"],
    ["UTC", "2026-12-03", "23:59", "2026-12-03T23:59:00Z", "no offset"],
  ])("%s %s %s → %s (%s)", (zone, day, time, expected) => {
    expect(dueAt(day, time, zone).toISOString()).toBe(new Date(expected).toISOString());
  });

  it("reads the channel's own day, and the next one across a month and a year", () => {
    expect(localDay(Date.parse("2026-12-03T23:30:00Z"), "Europe/Berlin")).toBe("2026-12-04");
    expect(localDay(Date.parse("2026-12-03T23:30:00Z"), "America/Los_Angeles")).toBe("2026-12-03");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
  });
});
