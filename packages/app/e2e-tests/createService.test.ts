import { test, expect } from '@playwright/test';
import { saveScreenshot, signInAsGuest } from './signIn';

test('a developer creates a TypeScript service from the Create page', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = `ui-svc-${Date.now().toString(36)}`;
  await signInAsGuest(page, '/create');

  // The card whose title is the TypeScript golden path.
  await page
    .getByText('TypeScript HTTP service', { exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' })
    .click();

  const nameField = page.getByRole('textbox', { name: 'Name' });
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill('Created through the UI');
  // The pickers offer catalog entities as you type.
  for (const [label, value] of [
    ['Owner', 'payments'],
    ['System', 'payments-platform'],
  ]) {
    const picker = page.getByRole('textbox', { name: label });
    await picker.click();
    await picker.fill(value);
    await picker.press('ArrowDown');
    await picker.press('Enter');
    await expect(picker).toHaveValue(new RegExp(value));
  }

  // The form refuses a bad name before anything runs, and shows the rule.
  await nameField.fill('Bad Name');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('#root_name__error')).toContainText(
    'must match pattern',
  );
  await expect(
    page.getByText(/single dashes, starting with a letter/),
  ).toBeVisible();
  // A name the catalog already has is refused too, naming its owner.
  await nameField.fill('payments-api-service');
  await page.getByRole('button', { name: 'Next' }).click();
  // Under the field (and in the form's list of errors).
  await expect(page.locator('#root_name__error')).toHaveText(
    /component:default\/payments-api-service is already in the catalog, owned by payments/,
  );
  await nameField.fill(name);
  await saveScreenshot(page, 'create-form');
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository and pipeline: the defaults are Paved's git host, GitLab
  // CI/CD (which Paved's runner runs) and all three deploy targets,
  // explained as the pipeline's.
  await expect(page.getByText('Repository host')).toBeVisible();
  await expect(page.getByText('Deploy targets')).toBeVisible();
  await expect(
    page.getByText(/ask for an environment on the next page/),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  // Infrastructure now: on by default, a small dev environment with a database.
  await expect(page.getByRole('radio', { name: 'Yes' })).toBeChecked();
  await expect(
    page.getByRole('textbox', { name: 'Environment name' }),
  ).toHaveValue('dev');
  await expect(
    page.getByRole('checkbox', { name: /PostgreSQL database/ }),
  ).toBeChecked();
  // The building blocks come from the modules' manifests: MariaDB too.
  await expect(
    page.getByRole('checkbox', { name: /MariaDB database/ }),
  ).not.toBeChecked();
  await saveScreenshot(page, 'create-form-environment');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(
    page.getByRole('row', { name: /CI\/CD system\s*GitLab CI\/CD/ }),
  ).toBeVisible();
  // The Review page says Yes, not a glyph.
  await expect(
    page.getByRole('row', { name: /Create an environment now\?\s*Yes/ }),
  ).toBeVisible();
  await saveScreenshot(page, 'create-review');
  await page.getByRole('button', { name: 'Create' }).click();

  // The task's live log runs to success.
  await expect(
    page.getByText('Provision the CI/CD pipeline').first(),
  ).toBeVisible();
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 120_000 });
  await saveScreenshot(page, 'create-task');
  // The environment step streamed Terraform's progress and links to it.
  await expect(page.getByText(/Creation complete after/).first()).toBeVisible();
  await expect(page.locator('a[href*="/environments/"]')).toBeVisible();

  await openInCatalog.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await saveScreenshot(page, 'created-component');

  // The Repositories page lists it, with the URL to clone it from.
  await page.goto('/repositories');
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText(
    new RegExp(`/api/git-host/[a-z0-9._-]+/${name}\\.git`),
  );
  await expect(row).toContainText('Initial commit from a Paved golden path');
  await saveScreenshot(page, 'repositories');

  // The component's Environments tab shows its dev environment, ready.
  await page.goto(`/catalog/default/component/${name}/environments`);
  const environment = page.getByRole('row').filter({ hasText: 'dev' });
  await expect(environment).toContainText('ready');
  await saveScreenshot(page, 'component-environments');

  // Its Docs tab renders the docs the golden path wrote: what it is, how to
  // run it, its pipeline and its environment.
  await page.goto(`/catalog/default/component/${name}/docs`);
  await expect(page.getByText('Created through the UI').first()).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByRole('heading', { name: 'Run it' })).toBeVisible();
  await expect(
    page.getByText(/asked for the environment\s+dev/).first(),
  ).toBeVisible();
  await saveScreenshot(page, 'component-docs');
});
