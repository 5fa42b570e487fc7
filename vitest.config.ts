import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // One PostgreSQL server (the store tests run against it and PGlite alike) and one Redis server
    // (the shared rate limit) for the whole run.
    globalSetup: ["tests/setup/postgres.ts", "tests/setup/redis.ts"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
