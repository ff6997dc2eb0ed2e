// Runs only the scheduling tests, which are pure (no database), without the repository-wide
// globalSetup that starts PostgreSQL: `npx vitest run --config src/server/scheduling/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['src/server/scheduling/**/*.test.ts', 'src/shared/scheduling/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 20_000,
  },
});
