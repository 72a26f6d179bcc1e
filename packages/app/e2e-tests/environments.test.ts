import { test, expect } from '@playwright/test';
import { environmentsApi } from './environments';
import { catalogEntity, guestToken, run, runTemplate } from './goldenPaths';
import { saveScreenshot, signInAsGuest } from './signIn';

const suffix = Date.now().toString(36);
/** The server the modules provision on, as the portal's admin sees it. */
const adminUrl = `${
  process.env.PAVED_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432'
}/postgres`;

async function databaseExists(name: string) {
  const { stdout } = await run('.', 'psql', [
    adminUrl,
    '-Atc',
    `select count(*) from pg_database where datname = '${name}'`,
  ]);
  return stdout.trim() === '1';
}

test.describe('environments', () => {
  test.setTimeout(300_000);

  test('a golden path creates a service with a dev environment of PostgreSQL and MariaDB, which its owner destroys', async ({
    page,
    request,
  }) => {
    const token = await guestToken(request);
    const api = environmentsApi(request, token);
    const name = `env-svc-${suffix}`;
    const database = `${name.replace(/-/g, '_')}_dev`;

    const task = await runTemplate(request, token, 'typescript-service', {
      name,
      description: 'End-to-end test of environments',
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      repoHost: 'paved',
      ciSystem: 'github-actions',
      environments: ['dev'],
      createEnvironment: true,
      environmentName: 'dev',
      environmentSize: 'small',
      // MariaDB came as a module folder with its manifest, no code.
      environmentResources: ['postgres', 'mariadb'],
      environmentTtlHours: 24,
    });
    expect(task.status, task.log).toBe('completed');
    // Terraform's progress reached the task log.
    expect(task.log).toMatch(
      /module\.postgres\.terraform_data\.database: Creation complete/,
    );

    const [env] = await api.list(`?service=component:default/${name}`);
    expect(env).toMatchObject({
      name: 'dev',
      status: 'ready',
      owner: 'group:default/payments',
      outputs: { postgres_database: database, mariadb_database: database },
      modules: [
        { id: 'postgres', appliedVersion: '1.0.0', updateAvailable: false },
        { id: 'mariadb', appliedVersion: '1.0.0', updateAvailable: false },
      ],
    });
    // The database accepts the generated credentials.
    const { postgres_url: url } = await api.secrets(env.id);
    const { stdout } = await run('.', 'psql', [
      url,
      '-Atc',
      'select current_user, current_database()',
    ]);
    expect(stdout.trim()).toBe(`${database}|${database}`);
    // So does MariaDB, in its own database and no other.
    const maria = new URL((await api.secrets(env.id)).mariadb_url);
    const asService = (sql: string) =>
      run(
        '.',
        'mariadb',
        [
          '-h',
          maria.hostname,
          '-P',
          maria.port,
          '-u',
          decodeURIComponent(maria.username),
          '-N',
          '-e',
          sql,
        ],
        { MYSQL_PWD: decodeURIComponent(maria.password) },
      );
    await asService(
      `create table ${database}.paved_check (id int); drop table ${database}.paved_check`,
    );
    await expect(asService('create database paved_intruder')).rejects.toThrow(
      /denied/,
    );
    await expect(asService('select count(*) from mysql.user')).rejects.toThrow(
      /denied/,
    );

    // The catalog has the environment, owned by the service's owner.
    const entity = await catalogEntity(
      request,
      token,
      `resource/default/${name}.dev`,
      e => e.metadata.annotations['paved.dev/environment-status'] === 'ready',
    );
    expect(entity.spec).toMatchObject({
      type: 'environment',
      owner: 'group:default/payments',
    });
    const relations = entity.relations.map(
      (r: any) => `${r.type} ${r.targetRef}`,
    );
    expect(relations).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/payments',
        `dependencyOf component:default/${name}`,
        `dependsOn resource:default/${name}.dev.postgres`,
      ]),
    );

    // The platform team sees where its modules are used; the catalog has
    // them from their manifests.
    await catalogEntity(
      request,
      token,
      'component/default/terraform-mariadb-database',
      e =>
        e.relations.some(
          (r: any) =>
            r.type === 'dependencyOf' &&
            r.targetRef === `resource:default/${name}.dev.mariadb`,
        ),
    );
    await catalogEntity(
      request,
      token,
      'component/default/terraform-postgres-database',
      e =>
        e.relations.some(
          (r: any) =>
            r.type === 'dependencyOf' &&
            r.targetRef === `resource:default/${name}.dev.postgres`,
        ),
    );

    // The Environments page lists it; its page masks the credentials.
    await signInAsGuest(page, '/environments');
    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toBeVisible();
    await saveScreenshot(page, 'environments-list');
    await row.getByRole('link', { name: 'dev' }).click();
    await expect(
      page.getByRole('cell', { name: 'postgres_url', exact: true }),
    ).toBeVisible();
    await expect(page.getByText(url)).toHaveCount(0);
    await expect(page.getByText(database).first()).toBeVisible();
    // Each building block with the module version it runs on.
    await expect(
      page.getByText('postgres 1.0.0, mariadb 1.0.0', { exact: true }),
    ).toBeVisible();
    await saveScreenshot(page, 'environment-details');

    // The component page has an Environments tab.
    await page.goto(`/catalog/default/component/${name}/environments`);
    await expect(page.getByRole('link', { name: 'dev' }).first()).toBeVisible();
    await saveScreenshot(page, 'component-environments-tab');

    // The owner destroys it from its page, after seeing the destroy plan.
    await page.goto(`/environments/${env.id}`);
    await page.getByRole('button', { name: 'Destroy' }).first().click();
    const dialog = page.getByRole('dialog');
    // The plan, not its log: the confirmation waits for the preview to end.
    await expect(
      dialog.getByText(/Destroying removes \d+ resources/),
    ).toBeVisible({ timeout: 60_000 });
    await expect(
      dialog.getByText(/delete module\.postgres\.terraform_data\.database/),
    ).toBeVisible();
    await saveScreenshot(page, 'environment-destroy-confirmation');
    await dialog
      .getByRole('button', { name: /Destroy/ })
      .last()
      .click();
    await api.waitFor(env.id, e => e.status === 'destroyed', 'the destroy');
    expect(await databaseExists(database)).toBe(false);
    const { stdout: left } = await run('.', 'mariadb', [
      '-h',
      '127.0.0.1',
      '-u',
      'root',
      '-N',
      '-e',
      `select count(*) from information_schema.schemata where schema_name = '${database}'`,
    ]);
    expect(left.trim()).toBe('0');

    // ...and it leaves the catalog.
    await expect
      .poll(
        async () =>
          (
            await request.get(
              `/api/catalog/entities/by-name/resource/default/${name}.dev`,
              {
                headers: { Authorization: `Bearer ${token}` },
              },
            )
          ).status(),
        { timeout: 60_000 },
      )
      .toBe(404);
  });

  test('the scheduler sweeps an expired environment', async ({ request }) => {
    const token = await guestToken(request);
    const api = environmentsApi(request, token);
    // A preview environment of a seeded service, owned by payments.
    const created = await api.create({
      service: 'component:default/payments-api-service',
      name: `sw-${suffix}`,
      resources: ['rabbitmq'],
      ttlHours: 1,
    });
    expect(created.status(), await created.text()).toBe(202);
    const { environment, run: firstRun } = await created.json();
    expect((await api.waitForRun(firstRun.id)).status).toBe('succeeded');

    // An hour passes (the portal's own database, schema per plugin).
    await run('.', 'psql', [
      `${process.env.PAVED_PG_URL}/${process.env.POSTGRES_DB}`,
      '-qc',
      `update environments.environments set expires_at = '2000-01-01T00:00:00.000Z' where id = '${environment.id}'`,
    ]);
    const swept = await api.waitFor(
      environment.id,
      e => e.status === 'destroyed',
      'the TTL sweep',
    );
    expect(swept).toMatchObject({
      destroyedBy: 'system:ttl-sweeper',
      lastRun: {
        kind: 'destroy',
        reason: expect.stringMatching(/^expired at /),
      },
    });
  });

  test('bad input is refused with what was wrong, and nothing runs', async ({
    request,
  }) => {
    const token = await guestToken(request);
    const api = environmentsApi(request, token);
    const res = await api.create({
      service: 'component:default/x; rm -rf /',
      owner: 'group:default/payments',
      name: '$(id)',
      resources: ['mongodb'],
    });
    expect(res.status()).toBe(400);
    const { error } = await res.json();
    expect(error.message).toMatch(/service/);
    expect(error.message).toMatch(/name "\$\(id\)"/);
    expect(error.message).toMatch(/"mongodb" is not an approved module/);
  });
});
