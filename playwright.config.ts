import { defineConfig } from '@playwright/test';
import chromium from './scripts/chromium.json';

/**
 * Browser tests run in Debian's Chromium (Playwright never downloads a
 * browser here) against a backend that scripts/e2e.sh starts.
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  // The production start runs against its own backend (e2e-production.sh).
  testIgnore: 'production/**',
  // Destroys the environments the tests made (real databases on this machine).
  globalTeardown: './packages/app/e2e-tests/globalTeardown.ts',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: process.env.PAVED_E2E_URL ?? 'http://localhost:7007',
    // Fail fast on a missing element instead of waiting out the test.
    actionTimeout: 20_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.PAVED_CHROMIUM ?? chromium.executablePath,
      args: chromium.args,
    },
  },
});
