import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // One PostgreSQL server for the whole run (the store tests run against it and PGlite alike).
    globalSetup: ["tests/setup/postgres.ts"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
