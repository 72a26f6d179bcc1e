import { test, expect } from '@playwright/test';
import { saveScreenshot, signInAsGuest } from './signIn';

test('home page leads with golden paths and the catalog', async ({ page }) => {
  await signInAsGuest(page);
  await expect(page).toHaveTitle(/Paved/);
  await expect(
    page.getByRole('heading', { name: 'Welcome to Paved' }),
  ).toBeVisible();
  const create = page.getByRole('link', { name: 'Create a service' });
  await expect(create).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Browse the catalog' }),
  ).toBeVisible();
  // The counts come from the live catalog.
  await expect(page.getByLabel('Catalog size')).toContainText('Components');
  await saveScreenshot(page, 'home');
  await create.click();
  await expect(page).toHaveURL(/\/create/);
});

test('catalog lists the seeded components', async ({ page }) => {
  await signInAsGuest(page, '/catalog');
  // The guest is a platform team member, so the catalog opens on the
  // team's own software; "All" shows everything.
  await expect(page.getByRole('menuitem', { name: /Owned/ })).toHaveText(
    /Owned\s*[1-9]/,
  );
  await page.getByRole('menuitem', { name: /All/ }).click();
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'Payments API service' }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Storefront web' }),
  ).toBeVisible();
  await saveScreenshot(page, 'catalog');
});

test('a component page shows its owner and relations', async ({ page }) => {
  await signInAsGuest(page, '/catalog');
  await page.getByRole('menuitem', { name: /All/ }).click();
  await page.getByRole('link', { name: 'Payments API service' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payments-api-service/,
  );
  await expect(page.getByRole('heading', { name: 'About' })).toBeVisible();
  // Owner, system and the relations graph.
  await expect(
    page.getByRole('link', { name: 'Payments Team' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /payments-platform/i }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Payments API', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Depends on resources' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Payments database' }),
  ).toBeVisible();
  await saveScreenshot(page, 'component');
});

test('an API page renders its OpenAPI definition', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/api/payments-api');
  await expect(
    page.getByRole('heading', { name: 'Payments API', level: 2 }),
  ).toBeVisible();
  await expect(page.getByRole('tab', { name: 'OpenAPI' })).toBeVisible();
  // Swagger UI renders the operations from the definition.
  await expect(page.locator('.swagger-ui .opblock').first()).toBeVisible();
  await saveScreenshot(page, 'api');
});

test('the Create page lists the golden-path templates', async ({ page }) => {
  await signInAsGuest(page, '/create');
  for (const title of [
    'TypeScript HTTP service',
    'Python HTTP service',
    'Static web app',
  ]) {
    await expect(page.getByText(title, { exact: true })).toBeVisible();
  }
  await saveScreenshot(page, 'create');
});
