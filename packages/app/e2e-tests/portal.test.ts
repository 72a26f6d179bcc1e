import { test, expect } from '@playwright/test';
import { saveScreenshot, signInAsGuest } from './signIn';
import { environmentsApi } from './environments';
import { guestToken } from './goldenPaths';

test("the home page is the signed-in person's: search, their services and environments", async ({
  page,
  request,
}) => {
  // An environment of the platform team's own service (the portal), so the
  // guest (platform) has one to see.
  const api = environmentsApi(request, await guestToken(request));
  const created = await api.create({
    service: 'component:default/paved',
    name: `home-${Date.now().toString(36)}`.slice(0, 20),
    resources: ['redis'],
    ttlHours: 2,
  });
  expect(created.status(), await created.text()).toBe(202);
  const { environment, run } = await created.json();
  await api.waitForRun(run.id);

  const warnings: string[] = [];
  page.on('console', message => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await signInAsGuest(page);
  await expect(page).toHaveTitle(/Paved/);
  await expect(
    page.getByRole('heading', { name: 'Welcome to Paved' }),
  ).toBeVisible();
  await expect(
    page.getByPlaceholder('Search services, APIs, docs and people'),
  ).toBeVisible();
  const services = page.getByRole('list', { name: 'My services' });
  await expect(services).toContainText('Paved');
  await expect(services).toContainText(`${environment.name}: ready`);
  const environments = page.getByRole('list', { name: 'My environments' });
  await expect(environments).toContainText(`paved / ${environment.name}`);
  await expect(environments).toContainText(/expires in (1|2) hours?/);
  await expect(page.getByText('Starred', { exact: true })).toBeVisible();
  await expect(
    page.getByText('Recently visited', { exact: true }),
  ).toBeVisible();
  await expect(page.getByLabel('Catalog size')).toContainText('Components');
  await saveScreenshot(page, 'home');
  const create = page.getByRole('link', { name: 'Create a service' }).first();
  await create.click();
  await expect(page).toHaveURL(/\/create/);
  // No page warns about icons given as components.
  expect(warnings.filter(w => /IconComponent/.test(w))).toEqual([]);

  const destroy = await api.startRun(environment.id, 'destroy');
  await api.waitForRun(destroy.id);
});

test('the catalog list is readable at 1440 px and starts on services', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog');
  // The guest's team (platform) owns no service, so the list starts on all
  // services rather than on an empty "Owned".
  await expect(page.getByText(/All service Components \(\d+\)/i)).toBeVisible();
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'Payments API service' }),
  ).toBeVisible();
  // Each name on one or two lines, never broken letter by letter.
  const names = table.locator('tbody tr td:first-child a');
  await expect(names.first()).toBeVisible();
  const lineHeight = await names
    .first()
    .evaluate(a => parseFloat(getComputedStyle(a).lineHeight) || 20);
  // Measured once the table shows every row its heading counts.
  const heading = await page
    .getByText(/All service Components \(\d+\)/i)
    .innerText();
  const rows = Number(heading.match(/\((\d+)\)/)![1]);
  await expect(names).toHaveCount(rows);
  for (const name of await names.all()) {
    const box = await name.boundingBox();
    expect(box, `${await name.innerText()}: shown`).not.toBeNull();
    expect(box!.height, `${await name.innerText()}: lines`).toBeLessThanOrEqual(
      2 * lineHeight + 2,
    );
  }
  // Descriptions get room: more than a couple of words are shown.
  const description = table
    .getByRole('row')
    .filter({ hasText: 'Payments API service' })
    .locator('td')
    .nth(5);
  expect((await description.innerText()).split(/\s+/).length).toBeGreaterThan(
    5,
  );
  // The Owned / All switch has its counts on first load.
  await expect(page.getByRole('menuitem', { name: /All/ })).toHaveText(
    /All\s*[1-9]/,
  );
  await saveScreenshot(page, 'catalog');
  // Services first: a website is one switch away, not in this view.
  await expect(table.getByRole('link', { name: 'Storefront web' })).toHaveCount(
    0,
  );
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

test('the Create page leads with the golden paths', async ({ page }) => {
  await signInAsGuest(page, '/create');
  const golden = page.getByRole('heading', { name: 'Golden paths' });
  const others = page.getByRole('heading', { name: 'Environments' });
  await expect(golden).toBeVisible();
  await expect(others).toBeVisible();
  // Golden paths come first on the page.
  expect((await golden.boundingBox())!.y).toBeLessThan(
    (await others.boundingBox())!.y,
  );
  for (const title of [
    'TypeScript HTTP service',
    'Python HTTP service',
    'Static web app',
  ]) {
    await expect(page.getByText(title, { exact: true })).toBeVisible();
    expect(
      (await page.getByText(title, { exact: true }).boundingBox())!.y,
    ).toBeLessThan((await others.boundingBox())!.y);
  }
  await expect(
    page.getByText('Add an environment to an existing service', {
      exact: true,
    }),
  ).toBeVisible();
  await saveScreenshot(page, 'create');
});

test("a seeded component's Docs tab shows its docs", async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/cart-service/docs');
  await expect(
    page.getByText('Kotlin service that manages shopping carts').first(),
  ).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('heading', { name: 'Depends on' })).toBeVisible();
});
