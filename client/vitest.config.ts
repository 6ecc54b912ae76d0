import { defineConfig } from 'vitest/config';

// Unit tests only: Playwright's browser tests live in ../e2e and must not be picked up here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup/storage.ts'],
  },
});
