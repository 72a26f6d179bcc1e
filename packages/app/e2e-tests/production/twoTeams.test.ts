import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { run } from '../goldenPaths';
import { saveScreenshot } from '../signIn';
import {
  claimsOf,
  PEOPLE,
  refreshed,
  Session,
  signInThroughBrowser,
  signInWhenKnown,
  eventually,
} from './oidc';

// Two people of different teams, signed in through the real OpenID Connect
// provider: sofia (checkout) tries what the hardening issue found she could
// do to daniel's team (payments) and to the platform team.
let sofia: Session;
let daniel: Session;
let priya: Session;
const suffix = Date.now().toString(36);
const base = () => process.env.PAVED_E2E_URL!;
let work: string;

test.beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-e2e-teams-'));
  [sofia, daniel, priya] = await Promise.all([
    signInWhenKnown(PEOPLE.sofia),
    signInWhenKnown(PEOPLE.daniel),
    signInWhenKnown(PEOPLE.priya),
  ]);
});
test.afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const api = (who: Session) => ({
  get: (url: string) => who.context.get(url, { headers: who.headers }),
  post: (url: string, data: object = {}) =>
    who.context.post(url, { headers: who.headers, data }),
  delete: (url: string) => who.context.delete(url, { headers: who.headers }),
});

/** A repository on the git host, with files, pushed by its owner's member. */
async function hostedRepository(
  who: Session,
  name: string,
  owner: string,
  files: Record<string, string>,
) {
  const created = await api(who).post('/api/git-host/repositories', {
    name,
    owner,
  });
  expect(created.status(), await created.text()).toBe(201);
  const dir = path.join(work, `${name}-${who.login}`);
  fs.mkdirSync(dir);
  await run(dir, 'git', ['init', '--quiet', '--initial-branch=main']);
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), content);
  }
  await commitAndPush(who, dir, `${owner.split('/')[1]}/${name}`);
  return dir;
}

async function gitToken(who: Session) {
  return (await (await api(who).post('/api/git-host/tokens')).json())
    .token as string;
}
/** The clone URL of `owner/name`, with a fresh git token of `who`. */
const remote = async (who: Session, fullName: string) =>
  `${base().replace(
    '://',
    `://git:${await gitToken(who)}@`,
  )}/api/git-host/${fullName}.git`;

async function commitAndPush(who: Session, dir: string, fullName: string) {
  const identity = [
    '-c',
    `user.name=${who.login}`,
    '-c',
    'user.email=e2e@example.com',
  ];
  await run(dir, 'git', ['add', '--all']);
  await run(dir, 'git', [...identity, 'commit', '--quiet', '-m', 'Change']);
  await run(dir, 'git', [
    'push',
    '--quiet',
    await remote(who, fullName),
    'main',
  ]);
}

/** A file's URL as Backstage's Gitea integration reads it. */
const fileUrl = (fullName: string, file: string) =>
  `${base()}/api/git-host/${fullName}/src/branch/main/${file}`;

const entity = async (who: Session, ref: string) => {
  const res = await api(who).get(`/api/catalog/entities/by-name/${ref}`);
  return res.ok() ? res.json() : undefined;
};
const processingErrors = async (who: Session) =>
  JSON.stringify(
    await (await api(who).get('/api/catalog/processing-errors')).json(),
  );

test('nobody makes themselves a member of the platform team', async () => {
  test.setTimeout(300_000);
  // She cannot delete her own User entity to replace it...
  const me = await entity(sofia, 'user/default/sofia-marin');
  const deleted = await api(sofia).delete(
    `/api/catalog/entities/by-uid/${me.metadata.uid}`,
  );
  expect(deleted.status()).toBe(403);

  // ...and a User (or Group) in a file she registers is refused.
  const name = `sofia-tools-${suffix}`;
  await hostedRepository(sofia, name, 'group:default/checkout', {
    'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: sofia-marin
spec:
  profile: { email: sofia.marin@example.com }
  memberOf: [checkout, platform]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform-${suffix}
spec:
  type: team
  children: []
  members: [sofia-marin]
`,
  });
  const location = await api(sofia).post('/api/catalog/locations', {
    type: 'url',
    target: fileUrl(`checkout/${name}`, 'catalog-info.yaml'),
  });
  expect(location.status(), await location.text()).toBe(201);
  const { location: registered } = await location.json();
  await eventually('the refusal on the Catalog errors page', async () =>
    /Entity user:default\/sofia-marin at .* is not of an allowed kind for that location/.test(
      await processingErrors(priya),
    ),
  );
  expect(
    await entity(priya, `group/default/platform-${suffix}`),
  ).toBeUndefined();
  // The seed organization still says who she is.
  expect(
    (await entity(priya, 'user/default/sofia-marin')).spec.memberOf,
  ).toEqual(['checkout']);
  expect(await claimsOf(await refreshed(sofia))).toEqual([
    'group:default/checkout',
    'user:default/sofia-marin',
  ]);
  // Unregistering a location is the platform team's.
  expect(
    (
      await api(sofia).delete(`/api/catalog/locations/${registered.id}`)
    ).status(),
  ).toBe(403);
  expect(
    (
      await api(priya).delete(`/api/catalog/locations/${registered.id}`)
    ).status(),
  ).toBe(204);
});

test("nobody takes over another team's service", async ({ page }) => {
  test.setTimeout(300_000);
  const name = `ledger-${suffix}`;
  const component = (owner: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: experimental
  owner: ${owner}
`;
  const dir = await hostedRepository(daniel, name, 'group:default/payments', {
    'catalog-info.yaml': component('payments'),
  });
  expect(
    (
      await api(daniel).post('/api/catalog/locations', {
        type: 'url',
        target: fileUrl(`payments/${name}`, 'catalog-info.yaml'),
      })
    ).status(),
  ).toBe(201);
  const ref = `component/default/${name}`;
  await eventually('the service in the catalog', () => entity(sofia, ref));

  // sofia may read the repository, not push to it...
  const clone = path.join(work, `${name}-sofia`);
  await run(work, 'git', [
    'clone',
    '--quiet',
    await remote(sofia, `payments/${name}`),
    clone,
  ]);
  fs.writeFileSync(
    path.join(clone, 'catalog-info.yaml'),
    component('checkout'),
  );
  const pushed = await commitAndPush(sofia, clone, `payments/${name}`).catch(
    e => e,
  );
  expect(String(pushed)).toMatch(
    new RegExp(
      `Only members of group:default/payments or the platform team may push to or merge into 'payments/${name}'`,
    ),
  );
  // ...nor get a token that could, nor make repositories in payments' name.
  expect(
    (
      await api(sofia).post(
        `/api/git-host/repositories/payments/${name}/deploy-tokens`,
      )
    ).status(),
  ).toBe(403);
  expect(
    (
      await api(sofia).post('/api/git-host/repositories', {
        name: `${name}-x`,
        owner: 'group:default/payments',
      })
    ).status(),
  ).toBe(403);
  // Nor refresh, delete, or ask for an environment of payments' service.
  expect(
    (
      await api(sofia).post('/api/catalog/refresh', {
        entityRef: `component:default/${name}`,
      })
    ).status(),
  ).toBe(403);
  const current = await entity(sofia, ref);
  expect(
    (
      await api(sofia).delete(
        `/api/catalog/entities/by-uid/${current.metadata.uid}`,
      )
    ).status(),
  ).toBe(403);
  const environment = await api(sofia).post('/api/environments/environments', {
    service: `component:default/${name}`,
    name: 'dev',
    resources: ['postgres'],
  });
  expect(environment.status()).toBe(403);

  // Even the owner cannot hand it to a team that cannot change its file:
  // the catalog keeps the owner and says why.
  fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), component('checkout'));
  await commitAndPush(daniel, dir, `payments/${name}`);
  await eventually('the refusal on the Catalog errors page', async () =>
    (
      await processingErrors(priya)
    ).includes(
      `component:default/${name} names group:default/checkout as its owner`,
    ),
  );
  expect((await entity(sofia, ref)).spec.owner).toBe('payments');

  // The Catalog errors page shows it, though the catalog still has the
  // service (as it was).
  await signInThroughBrowser(page, PEOPLE.daniel);
  await page.goto('/catalog-errors');
  const row = page
    .getByRole('row')
    .filter({ hasText: `component:default/${name}` });
  await expect(row).toContainText('Its last good version');
  await expect(row).toContainText(
    `component:default/${name} names group:default/checkout as its owner, but it is read from repository 'payments/${name}', which belongs to group:default/payments`,
  );
  await expect(row).not.toContainText('threw an error while preprocessing');
  await saveScreenshot(page, 'catalog-errors');
});

test('a person sees and cancels only their own golden-path runs', async () => {
  test.setTimeout(300_000);
  // daniel's run fails at its first step: the name is taken.
  const created = await api(daniel).post('/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/typescript-service',
    values: {
      name: 'payments-api-service',
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      repoHost: 'paved',
      ciSystem: 'gitlab-ci',
      environments: ['dev'],
      createEnvironment: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const task = await eventually('the run to end', async () => {
    const res = await (
      await api(daniel).get(`/api/scaffolder/v2/tasks/${id}`)
    ).json();
    return ['failed', 'completed'].includes(res.status) ? res : undefined;
  });
  expect(task.status).toBe('failed');
  const events = await (
    await api(daniel).get(`/api/scaffolder/v2/tasks/${id}/events`)
  ).json();
  expect(JSON.stringify(events)).toContain(
    'component:default/payments-api-service is already in the catalog, owned by',
  );

  const listed = async (who: Session) =>
    (await (await api(who).get('/api/scaffolder/v2/tasks')).json()).tasks.map(
      (t: { id: string }) => t.id,
    );
  expect(await listed(daniel)).toContain(id);
  expect(await listed(priya)).toContain(id);
  expect(await listed(sofia)).not.toContain(id);
  expect([403, 404]).toContain(
    (await api(sofia).get(`/api/scaffolder/v2/tasks/${id}`)).status(),
  );
  expect([403, 404]).toContain(
    (await api(sofia).post(`/api/scaffolder/v2/tasks/${id}/cancel`)).status(),
  );
});
