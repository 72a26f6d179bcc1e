import fs from 'node:fs';
import path from 'node:path';
import { APIRequestContext, expect, test } from '@playwright/test';
import { catalogEntity, guestToken, run, runTemplate } from './goldenPaths';
import { saveScreenshot, signInAsGuest } from './signIn';

// Each run creates new repositories, so names carry a per-run suffix.
const suffix = Date.now().toString(36);
const work = path.resolve(__dirname, '../../../test-results/e2e-clones');

/** A repository on the git host with `files` pushed to `branch`. */
async function pushRepository(
  request: APIRequestContext,
  token: string,
  fullName: string,
  branches: Record<string, Record<string, string>>,
) {
  const headers = { Authorization: `Bearer ${token}` };
  const [owner, name] = fullName.split('/');
  const created = await request.post('/api/git-host/repositories', {
    headers,
    data: { name, owner: `group:default/${owner}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const gitToken = (
    await (await request.post('/api/git-host/tokens', { headers })).json()
  ).token as string;
  // The token travels in a header from the environment, never in the URL.
  const gitEnv = {
    GIT_CONFIG_COUNT: '3',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
      `paved:${gitToken}`,
    ).toString('base64')}`,
    GIT_CONFIG_KEY_1: 'user.name',
    GIT_CONFIG_VALUE_1: 'E2E',
    GIT_CONFIG_KEY_2: 'user.email',
    GIT_CONFIG_VALUE_2: 'e2e@example.com',
  };
  fs.mkdirSync(work, { recursive: true });
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  const url = (await created.json()).cloneUrl as string;
  await run(dir, 'git', ['init', '--quiet', '--initial-branch=main'], gitEnv);
  for (const [branch, files] of Object.entries(branches)) {
    await run(dir, 'git', ['checkout', '--quiet', '-B', branch], gitEnv);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    await run(dir, 'git', ['add', '--all'], gitEnv);
    await run(dir, 'git', ['commit', '--quiet', '-m', `On ${branch}`], gitEnv);
    await run(dir, 'git', ['push', '--quiet', url, branch], gitEnv);
  }
  return { url, dir };
}

/** A template written as Backstage's docs write them, nothing Paved-specific. */
const backstageStyleTemplate = (
  templateName: string,
) => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${templateName}
  title: Backstage-style service (${suffix})
  description: An ordinary Backstage template hosted on Paved's git host.
spec:
  owner: group:default/platform
  type: service
  parameters:
    - title: The service
      required: [name, owner, repoUrl]
      properties:
        name: { title: Name, type: string }
        owner: { title: Owner, type: string }
        repoUrl:
          title: Repository
          type: string
          ui:field: RepoUrlPicker
          ui:options: { allowedHosts: ['localhost'] }
  steps:
    - id: fetch
      name: Fetch the skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: \${{ parameters.name }}
          owner: \${{ parameters.owner }}
    - id: publish
      name: Publish to Gitea
      action: publish:gitea
      input:
        repoUrl: \${{ parameters.repoUrl }}
        description: \${{ parameters.name }}, made from a Backstage-style template
    - id: register
      name: Register
      action: catalog:register
      input:
        repoContentsUrl: \${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
  output:
    links:
      - title: Repository
        url: \${{ steps.publish.output.remoteUrl }}
`;

const skeletonCatalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: \${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: \${{ values.owner }}
`;

test('a Backstage-style template hosted on the git host runs unchanged', async ({
  request,
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const templateName = `backstage-style-${suffix}`;
  const templates = `platform/templates-${suffix}`;
  await pushRepository(request, token, templates, {
    main: {
      'template.yaml': backstageStyleTemplate(templateName),
      'skeleton/catalog-info.yaml': skeletonCatalogInfo,
      'skeleton/README.md': '# ${{ values.name }}\n',
    },
  });

  // Registered by URL, as "Register Existing Component" does.
  const gitHost = `${baseURL}/api/git-host`;
  const registered = await request.post('/api/catalog/locations', {
    headers,
    data: {
      type: 'url',
      target: `${gitHost}/${templates}/src/branch/main/template.yaml`,
    },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  await catalogEntity(request, token, `template/default/${templateName}`);

  const name = `bs-svc-${suffix}`;
  const host = new URL(baseURL!).host;
  const task = await runTemplate(request, token, templateName, {
    name,
    owner: 'group:default/payments',
    repoUrl: `${host}?owner=payments&repo=${name}`,
  });
  expect(task.status, task.log).toBe('completed');

  // The new repository belongs to payments and holds the rendered skeleton.
  const repository = await request.get(
    `/api/git-host/repositories/payments/${name}`,
    { headers },
  );
  expect(await repository.json()).toMatchObject({
    owner: 'group:default/payments',
    fullName: `payments/${name}`,
    // The integration's static token, subject as configured.
    createdBy: 'gitea-integration',
  });
  const component = await catalogEntity(
    request,
    token,
    `component/default/${name}`,
    entity => entity.relations?.some((r: any) => r.type === 'ownedBy'),
  );
  expect(component.spec.owner).toBe('group:default/payments');
  // Registered where catalog:register put it: Backstage resolves
  // `/catalog-info.yaml` against publish:gitea's `src/branch/main/` to
  // `src/branch/catalog-info.yaml` (its URL parser reads "branch" as the
  // ref); the git host reads that as the file on the default branch.
  expect(
    component.metadata.annotations['backstage.io/managed-by-location'],
  ).toBe(`url:${gitHost}/payments/${name}/src/branch/catalog-info.yaml`);

  // "View Source" leads to the repository's page in the portal.
  await signInAsGuest(page, `/catalog/default/component/${name}`);
  const viewSource = page.getByRole('link', { name: /view source/i });
  const href = await viewSource.getAttribute('href');
  expect(href).toMatch(new RegExp(`^${gitHost}/payments/${name}/src/branch/`));
  await page.goto(href!);
  await expect(page).toHaveURL(new RegExp(`/repositories/payments/${name}`));
  await expect(page.getByText('README.md')).toBeVisible();
  await page.getByText('README.md').click();
  await expect(page.getByText(`# ${name}`)).toBeVisible();
  await saveScreenshot(page, 'repository-files');
});

test('a change request is opened, its diff read and merged in the browser', async ({
  request,
  page,
}) => {
  test.setTimeout(240_000);
  const token = await guestToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const fullName = `platform/cr-${suffix}`;
  await pushRepository(request, token, fullName, {
    main: {
      'README.md': '# Change requests\n',
      'src/app.ts': 'export const answer = 41;\n',
    },
    'fix-answer': { 'src/app.ts': 'export const answer = 42;\n' },
  });

  await signInAsGuest(page, `/repositories/${fullName}`);
  await page.getByText('Change requests', { exact: true }).click();
  await page
    .getByRole('button', { name: 'New change request' })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill('The answer is 42');
  await dialog.getByLabel('Description').fill('Off by one.');
  await dialog.getByRole('button', { name: 'Open change request' }).click();

  await expect(page).toHaveURL(new RegExp(`/repositories/${fullName}/pulls/1`));
  await expect(
    page.getByRole('heading', { name: 'The answer is 42' }).first(),
  ).toBeVisible();
  const diff = page.getByRole('region', { name: 'src/app.ts' });
  await expect(diff).toContainText('export const answer = 41;');
  await expect(diff).toContainText('export const answer = 42;');
  await saveScreenshot(page, 'change-request');

  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(page.getByText('Merged into main')).toBeVisible();

  // main holds the merge: a merge commit whose second parent is the branch.
  const [head] = await (
    await request.get(
      `/api/git-host/api/v1/repos/${fullName}/commits?sha=main&limit=1`,
      {
        headers,
      },
    )
  ).json();
  const branch = await (
    await request.get(
      `/api/git-host/api/v1/repos/${fullName}/branches/fix-answer`,
      {
        headers,
      },
    )
  ).json();
  expect(head.parents.map((p: any) => p.sha)).toHaveLength(2);
  expect(head.parents[1].sha).toBe(branch.commit.id);
  const file = await (
    await request.get(
      `/api/git-host/api/v1/repos/${fullName}/contents/src/app.ts?ref=main`,
      {
        headers,
      },
    )
  ).json();
  expect(Buffer.from(file.content, 'base64').toString()).toBe(
    'export const answer = 42;\n',
  );
});
