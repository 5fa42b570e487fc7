import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Twins } from "../../src/core/twins.js";

/** A random duplicate relation over ids p0…p(n-1): shares as findDuplicates makes them (n/m). */
const relation = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc
    .array(
      fc.tuple(
        fc.nat(n - 1),
        fc.nat(n - 1),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
      ),
      {
        maxLength: 80,
      },
    )
    .map((pairs) => {
      const ids = Array.from({ length: n }, (_, i) => `p${i}`);
      const map = new Map<string, Map<string, number>>();
      for (const [a, b, x, y] of pairs) {
        if (a === b) continue;
        const share = Math.min(x, y) / Math.max(x, y);
        if (!map.has(ids[a] as string)) map.set(ids[a] as string, new Map());
        map.get(ids[a] as string)?.set(ids[b] as string, share);
      }
      return { ids, map };
    }),
);

describe("the twin table", () => {
  it("gives back every passage's twins, in order, with shares that compare as before", () => {
    fc.assert(
      fc.property(relation, ({ ids, map }) => {
        const table = Twins.decode(ids, JSON.parse(JSON.stringify(Twins.encode(ids, map))));
        for (const id of ids) {
          const want = [...(map.get(id) ?? [])];
          const got = table.of(id);
          expect(got.map(([t]) => t)).toEqual(want.map(([t]) => t));
          got.forEach(([, share], i) => {
            const exact = want[i]?.[1] as number;
            expect(share).toBeCloseTo(exact, 6);
            // The engine's thresholds (0.5 and the like) must decide the same way.
            expect(share >= 0.5).toBe(exact >= 0.5);
          });
        }
      }),
    );
  });

  it("stops at the first twin that answers, and knows nothing of unknown ids", () => {
    const map = new Map([
      [
        "a",
        new Map([
          ["b", 0.9],
          ["c", 0.6],
        ]),
      ],
    ]);
    const table = Twins.decode(["a", "b", "c"], Twins.encode(["a", "b", "c"], map));
    const seen: string[] = [];
    expect(
      table.some("a", (t) => {
        seen.push(t);
        return t === "b";
      }),
    ).toBe(true);
    expect(seen).toEqual(["b"]);
    expect(table.of("zzz")).toEqual([]);
    expect(table.of("b")).toEqual([]);
  });

  it("refuses a table made for other passages", () => {
    const encoded = Twins.encode(["a", "b"], new Map());
    expect(() => Twins.decode(["a", "b", "c"], encoded)).toThrow(/does not match/);
  });
});
