import { Page, expect } from '@playwright/test';

/** Signs in with the local guest provider and waits for the sidebar. */
export async function signInAsGuest(page: Page, path = '/') {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function saveScreenshot(page: Page, name: string) {
  await page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
  });
}
