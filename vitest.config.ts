import { defineConfig } from 'vitest/config';
import { HANG_MS } from './test/helpers/timeouts.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report is what .ci/run counts for its closing "N passed, M failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results.json' },
    testTimeout: HANG_MS,
    hookTimeout: HANG_MS,
  },
});
