import { createHash } from "node:crypto";

/**
 * The quote of the day for one channel, from its pool (every quote, a source's, or a topic's
 * matches) and how often each was already posted there. Pure and deterministic: any instance, given
 * the same pool, counts and key (`<channel>:<day>`), picks the same quote.
 *
 * No quote repeats until the pool is used up: the pick is among the quotes posted the fewest times
 * (never, in the first round), so a round finishes before the next begins.
 * @example
 * pickDaily(["a", "b", "c"], new Map([["a", 1]]), "slack:T1:C1:2026-12-03") // "b" or "c"
 */
export function pickDaily(
  pool: readonly string[],
  counts: ReadonlyMap<string, number>,
  key: string,
): string | undefined {
  if (!pool.length) return undefined;
  const timesOf = (id: string) => counts.get(id) ?? 0;
  const fewest = Math.min(...pool.map(timesOf));
  // Sorted and de-duplicated, so the order the pool was built in does not change the pick.
  const candidates = [...new Set(pool.filter((id) => timesOf(id) === fewest))].sort();
  return candidates[hashIndex(key, candidates.length)];
}

/** A uniform index in [0, n) from a key: the first 48 bits of its SHA-256. */
function hashIndex(key: string, n: number): number {
  const digest = createHash("sha256").update(key).digest();
  return digest.readUIntBE(0, 6) % n;
}

/** `discord:<guild>:<channel>:<day>`: the key a channel's pick for a day hashes. */
export function dailyKey(channel: { platform: string; workspaceId: string; channelId: string }, day: string) {
  return `${channel.platform}:${channel.workspaceId}:${channel.channelId}:${day}`;
}
