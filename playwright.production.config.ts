import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The production start (scripts/e2e-production.sh): the shipped production
 * config, OpenID Connect sign-in against a real provider on loopback.
 */
export default defineConfig({
  ...base,
  testDir: 'packages/app/e2e-tests/production',
  testIgnore: [],
  globalTeardown: undefined,
  outputDir: 'test-results/playwright-production',
  reporter: [['list']],
});
