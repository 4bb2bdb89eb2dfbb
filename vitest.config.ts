// Two projects: pure unit tests run in parallel; integration + e2e tests start real servers
// (apiserver processes, kubectl) and run one file at a time so two cores are not oversubscribed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          pool: 'forks',
          // One fork for the whole project: its files run one after another, never side by side.
          poolOptions: { forks: { singleFork: true } },
          // Rebuilds dist/ when sources changed: these tests run the compiled server.
          globalSetup: ['test/helpers/global-build.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
