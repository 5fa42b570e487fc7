/** Percentiles of a sample, in the sample's unit. */
export function percentiles(sample: readonly number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0, n: sorted.length };
}

/** Times `fn` over `inputs`, after a warm-up pass, and returns per-call milliseconds. */
/** `timeEach` for an async function: each call awaited before the next starts. */
export async function timeEachAsync<T>(
  inputs: readonly T[],
  fn: (input: T) => Promise<unknown>,
  warmup = 1,
): Promise<number[]> {
  for (let w = 0; w < warmup; w++) for (const i of inputs) await fn(i);
  const times: number[] = [];
  for (const i of inputs) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown, warmup = 1): number[] {
  for (let w = 0; w < warmup; w++) for (const i of inputs) fn(i);
  return inputs.map((i) => {
    const t = performance.now();
    fn(i);
    return performance.now() - t;
  });
}
