import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packs the public packages once for every test file.
    globalSetup: ['test/support/pack-once.ts'],
    // A first install of an app on a fresh machine downloads its registry dependencies.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
