/**
 * Preloaded into the app by measurements only (`node --expose-gc --import dist/scripts/heap-probe.js
 * dist/src/main.js`, spawned with an IPC channel): on the message "heap" it runs a full collection
 * and sends back `process.memoryUsage()` in bytes, so a load script or a test can compare the
 * heap that survives a collection before and after an attack. The app itself never loads it.
 */
export interface HeapSample {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (process.send) {
  process.on("message", (message) => {
    if (message !== "heap") return;
    // Twice: the first pass may only queue finalizers (weak maps, buffers) that the second frees.
    gc?.();
    gc?.();
    const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
    process.send?.({ heapUsed, external, arrayBuffers, rss, collected: gc !== undefined });
  });
  // The channel must not keep the app alive once it has stopped.
  process.channel?.unref();
}
