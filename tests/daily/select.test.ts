import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dailyKey, pickDaily } from "../../src/daily/select.js";

const channel = { platform: "slack", workspaceId: "T1", channelId: "C1" };

describe("the quote of the day", () => {
  it("is the same for a channel and day whatever order the pool is listed in", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1 }), fc.string(), (pool, key) => {
        const counts = new Map<string, number>();
        expect(pickDaily(pool, counts, key)).toBe(pickDaily([...pool].reverse(), counts, key));
      }),
    );
  });

  it("never repeats in a channel until every quote of its pool was posted, round after round", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3 }), (size, rounds) => {
        const pool = Array.from({ length: size }, (_, i) => `q${i}`);
        const counts = new Map<string, number>();
        for (let round = 0; round < rounds; round++) {
          const seen = new Set<string>();
          for (let day = 0; day < size; day++) {
            const id = pickDaily(pool, counts, dailyKey(channel, `${round}-${day}`)) as string;
            expect(seen.has(id)).toBe(false);
            seen.add(id);
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          expect(seen.size).toBe(size);
        }
      }),
    );
  });

  it("differs between channels and days (30 days of a 200-quote pool are not all one quote)", () => {
    const pool = Array.from({ length: 200 }, (_, i) => `q${i}`);
    const days = Array.from({ length: 30 }, (_, d) => pickDaily(pool, new Map(), dailyKey(channel, `d${d}`)));
    expect(new Set(days).size).toBeGreaterThan(20);
  });

  it("is nothing when the pool is empty (a topic nothing matches)", () => {
    expect(pickDaily([], new Map(), "k")).toBeUndefined();
  });
});
