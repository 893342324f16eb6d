import { defineConfig } from 'vitest/config';

/**
 * Suites that start services and processes of their own and mostly wait on them (an outage to
 * pass, a killed worker's lock to lapse): `npm test` runs them in a lane of their own beside the
 * rest (test/lanes.mjs). Each lane runs its files one after another.
 */
const SERVICE_SUITES = [
  'test/faults.test.ts',
  'test/crash.test.ts',
  'test/machines.test.ts',
  'test/load.test.ts',
  'test/installation.test.ts',
  'test/timeouts.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // OCR saturates both cores; within a lane, suites run one after another so timings stay sane.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: SERVICE_SUITES } },
      { extends: true, test: { name: 'services', include: SERVICE_SUITES } },
    ],
  },
});
