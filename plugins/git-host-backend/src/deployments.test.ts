import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
// The two plugins together: the runner's reports reach the deployments plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import deploymentsPlugin from '@internal/plugin-deployments-backend';
import {
  databases,
  GitHostHarness,
  startGitHost,
} from './__testUtils__/harness';
import { as, git, teamServices } from './__testUtils__';

jest.setTimeout(300_000);

const alice = 'user:default/alice'; // payments
const bob = 'user:default/bob'; // checkout

/**
 * The deployments plugin against the real git host: deploy tokens, the
 * service a repository declares, the commits each deployment brought, and
 * the embedded runner's own reports.
 */
describe.each(databases.eachSupportedId())(
  'deployment reports, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;
    let workDir: string;
    // The catalog: entities are added once the repositories exist (their
    // location names the git host's URL, known after it starts).
    const entities: Entity[] = [];

    beforeAll(async () => {
      workDir = fs.mkdtempSync(
        path.join(os.tmpdir(), 'paved-git-host-deploy-'),
      );
      const [userInfo] = teamServices();
      // Backstage's mock catalog, over the entities as they are at each call.
      const catalog = createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          new Proxy({} as CatalogService, {
            // Not a promise: `then` is not one of the catalog's methods.
            get: (_target, method) =>
              method === 'then'
                ? undefined
                : (...args: unknown[]) =>
                    (catalogServiceMock({ entities }) as any)[method](...args),
          }),
      });
      host = await startGitHost(
        databaseId,
        {
          gitHost: {
            pipelines: {
              runner: true,
              jobTimeout: { seconds: 60 },
              pollIntervalMs: 500,
              workDir: path.join(workDir, 'work'),
              npmCache: path.join(workDir, 'npm'),
            },
          },
        },
        [deploymentsPlugin],
        [userInfo, catalog],
      );
      entities.push(
        ...['alice', 'bob'].map(name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name, namespace: 'default' },
          spec: {
            memberOf: [
              name === 'alice'
                ? 'group:default/payments'
                : 'group:default/checkout',
            ],
          },
          relations: [
            {
              type: 'memberOf',
              targetRef:
                name === 'alice'
                  ? 'group:default/payments'
                  : 'group:default/checkout',
            },
          ],
        })),
      );
    });
    afterAll(async () => {
      await host?.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    /** A repository declaring component `name`, with one commit pushed. */
    const service = async (name: string, owner = alice) => {
      const { fullName } = await host.create(
        owner,
        name,
        owner === alice ? 'group:default/payments' : 'group:default/checkout',
      );
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'backstage.io/managed-by-location': `url:${host.base}/${fullName}/src/branch/main/catalog-info.yaml`,
            'backstage.io/source-template':
              'template:default/typescript-service',
            'backstage.io/template-version': '1.0.0',
          },
        },
        spec: {
          type: 'service',
          owner:
            owner === alice
              ? 'group:default/payments'
              : 'group:default/checkout',
        },
      });
      const work = await host.pushFiles(owner, fullName, {
        'README.md': `# ${name}\n`,
      });
      return { fullName, work };
    };
    const head = async (work: string) =>
      (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    const deployToken = async (
      user: string,
      fullName: string,
      scope = 'deployments:report',
    ) => {
      const res = await host.call(
        'post',
        user,
        `/repositories/${fullName}/deploy-tokens`,
        { scope },
      );
      expect(res.status).toBe(201);
      return res.body.token as string;
    };
    const report = (token: string | undefined, body: object | string) => {
      const req = request(host.backend.server)
        .post('/api/deployments/report')
        .set('Content-Type', 'application/json');
      if (token) req.set('Authorization', `Bearer ${token}`);
      return req.send(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const stored = async () =>
      Number(
        (await host.knex('deployments').count({ n: '*' }).first())?.n ?? 0,
      );

    it('records an external CI report once, with the commits it brought', async () => {
      const { fullName, work } = await service('orders');
      const token = await deployToken(alice, fullName);
      const first = await head(work);
      const body = {
        service: 'orders',
        environment: 'dev',
        commit: first,
        version: '1.0.0',
        outcome: 'success',
        startedAt: new Date(Date.now() - 60_000).toISOString(),
        finishedAt: new Date().toISOString(),
        pipelineUrl: 'https://github.example/payments/orders/actions/runs/1',
        idempotencyKey: '1-1-deploy-dev',
      };
      const created = await report(token, body);
      expect(created.status).toBe(201);
      expect(created.body.deployment).toMatchObject({
        service: 'component:default/orders',
        environment: 'dev',
        commit: first,
        outcome: 'success',
        source: 'external',
        commitCount: 1,
      });
      // Re-sent (a retry): recorded once.
      const again = await report(token, body);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        duplicate: true,
        deployment: { id: created.body.deployment.id },
      });

      // Two more commits, deployed: the deployment brought exactly those.
      await host.pushFiles(
        alice,
        fullName,
        { 'a.txt': 'a\n' },
        { work, message: 'Add a' },
      );
      await host.pushFiles(
        alice,
        fullName,
        { 'b.txt': 'b\n' },
        { work, message: 'Add b' },
      );
      const second = await report(token, {
        ...body,
        commit: await head(work),
        idempotencyKey: '2-1-deploy-dev',
        startedAt: undefined,
        finishedAt: undefined,
      });
      expect(second.status).toBe(201);
      const detail = await request(host.backend.server)
        .get(`/api/deployments/deployments/${second.body.deployment.id}`)
        .set('Authorization', as(bob));
      expect(detail.status).toBe(200);
      expect(detail.body.previousId).toBe(created.body.deployment.id);
      expect(detail.body.commits.map((c: any) => c.message)).toEqual([
        'Add b',
        'Add a',
      ]);

      const current = await request(host.backend.server)
        .get('/api/deployments/current?service=component:default/orders')
        .set('Authorization', as(bob));
      expect(current.body.environments).toEqual([
        expect.objectContaining({
          environment: 'dev',
          count: 2,
          current: expect.objectContaining({ id: second.body.deployment.id }),
        }),
      ]);
      // Time to first deploy, from the repository's creation.
      expect(current.body.firstDeploys).toEqual([
        expect.objectContaining({
          environment: 'dev',
          deploymentId: created.body.deployment.id,
          template: 'template:default/typescript-service',
          templateVersion: '1.0.0',
          secondsFromCreation: expect.any(Number),
        }),
      ]);
    });

    it("refuses wrong tokens, other teams' services, bad commits, future times and oversized bodies, storing nothing", async () => {
      const { fullName, work } = await service('billing');
      const other = await service('cart', bob);
      const token = await deployToken(alice, fullName);
      const commit = await head(work);
      const good = {
        service: 'billing',
        environment: 'dev',
        commit,
        outcome: 'success',
        idempotencyKey: 'k-1',
      };
      const before = await stored();

      expect((await report(undefined, good)).status).toBe(401);
      expect((await report('paved_not-a-token', good)).status).toBe(401);
      // A git read token may not report.
      expect(
        (await report(await deployToken(alice, fullName, 'read'), good)).status,
      ).toBe(401);
      // A deployments:report token reaches no git.
      const clone = await git(
        host.tmp,
        'ls-remote',
        host.cloneUrl(fullName, token),
      ).catch(error => error);
      expect(String(clone.stderr ?? clone)).toMatch(/403|401|denied|not/i);

      // Another repository's token, or naming another team's component.
      const bobsToken = await deployToken(bob, other.fullName);
      const stolen = await report(bobsToken, good);
      expect(stolen.status).toBe(403);
      expect(stolen.body.error.message).toContain(
        'does not declare component:default/billing',
      );
      const claimed = await report(token, {
        ...good,
        service: 'cart',
        commit: await head(other.work),
      });
      expect(claimed.status).toBe(403);

      const unknown = await report(token, { ...good, service: 'nope' });
      expect(unknown.status).toBe(404);
      expect(
        (await report(token, { ...good, environment: 'moon' })).body.error
          .message,
      ).toMatch(/Unknown environment 'moon'/);
      expect((await report(token, { ...good, commit: 'abc' })).status).toBe(
        400,
      );
      const foreign = await report(token, { ...good, commit: 'f'.repeat(40) });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.message).toContain(`is not in ${fullName}`);
      const future = await report(token, {
        ...good,
        finishedAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(future.status).toBe(400);
      expect(future.body.error.message).toMatch(/in the future/);
      expect((await report(token, { ...good, outcome: 'great' })).status).toBe(
        400,
      );
      expect((await report(token, '{not json')).status).toBe(400);
      const huge = await report(token, {
        ...good,
        version: 'x'.repeat(70_000),
      });
      expect(huge.status).toBe(413);
      // A revoked token is refused.
      const tokens = await host.call(
        'get',
        alice,
        `/repositories/${fullName}/deploy-tokens`,
      );
      for (const t of tokens.body.items) {
        await host.call('delete', alice, `/tokens/${t.id}`);
      }
      expect((await report(token, good)).status).toBe(401);

      expect(await stored()).toBe(before);
    });

    it("records the embedded runner's deploy job report, as the pipeline library sends it", async () => {
      const { fullName, work } = await service('ledger');
      const reportUrl = `${host.forwarder.url}/api/deployments/report`;
      await host.pushFiles(
        alice,
        fullName,
        {
          '.gitlab-ci.yml': `deploy-dev:
  environment:
    name: dev
  script:
    - echo deploying
  after_script:
    - |
      body=$(printf '{"service":"ledger","environment":"dev","commit":"%s","outcome":"success","pipelineUrl":"%s","idempotencyKey":"%s#%s"}' "$CI_COMMIT_SHA" "$CI_PIPELINE_URL" "$CI_PIPELINE_URL" "$CI_JOB_NAME")
      curl --silent --show-error --max-time 10 -o /dev/null -w "report: HTTP %{http_code}\\n" -X POST -H "Content-Type: application/json" -H "Authorization: Bearer $PAVED_DEPLOY_TOKEN" --data "$body" "${reportUrl}" || true
`,
        },
        { work },
      );
      let status = 'queued';
      while (!['success', 'failed', 'invalid'].includes(status)) {
        await new Promise(r => setTimeout(r, 250));
        status = (
          await host.call('get', alice, `/repositories/${fullName}/pipelines/1`)
        ).body.status;
      }
      expect(status).toBe('success');
      const log = await host.call(
        'get',
        alice,
        `/repositories/${fullName}/pipelines/1/jobs/deploy-dev/log`,
      );
      expect(log.body.chunks.map((c: any) => c.text).join('')).toContain(
        'report: HTTP 201',
      );
      const rows = await host
        .knex('deployments')
        .where({ service: 'component:default/ledger' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        source: 'paved-runner',
        commit_sha: await head(work),
        environment: 'dev',
      });
    });
    it('takes incidents from CI and PagerDuty once, lets only owners mark and resolve them, and computes the figures from them', async () => {
      const { fullName, work } = await service('journal');
      const component = entities.find(e => e.metadata.name === 'journal')!;
      component.metadata.annotations!['pagerduty.com/service-id'] = 'PLEDGER';
      const token = await deployToken(alice, fullName);
      const bobs = await service('register', bob);
      const bobsToken = await deployToken(bob, bobs.fullName);
      const deployed = await report(token, {
        service: 'journal',
        environment: 'production',
        commit: await head(work),
        outcome: 'success',
        idempotencyKey: 'ledger-1',
        finishedAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      expect(deployed.status).toBe(201);
      const deploymentId = deployed.body.deployment.id;
      const server = host.backend.server;
      const incident = (
        secret: string | undefined,
        body: object | string,
        query = '',
      ) => {
        const req = request(server)
          .post(`/api/deployments/incidents${query}`)
          .set('Content-Type', 'application/json');
        if (secret) req.set('Authorization', `Bearer ${secret}`);
        return req.send(typeof body === 'string' ? body : JSON.stringify(body));
      };
      const count = async () =>
        Number(
          (await host.knex('deployment_incidents').count({ n: '*' }).first())
            ?.n ?? 0,
        );
      const openedAt = new Date(Date.now() - 1_800_000).toISOString();

      // The generic body: once per id; a resolution sent later resolves it.
      const generic = {
        id: 'INC-1',
        service: 'journal',
        title: 'Ledger answers 500',
        severity: 'high',
        openedAt,
        deploymentId,
      };
      const first = await incident(token, generic);
      expect(first.status).toBe(201);
      expect(first.body.incident).toMatchObject({
        service: 'component:default/journal',
        environment: 'production',
        status: 'open',
        deploymentId,
        source: 'api',
      });
      expect((await incident(token, generic)).body).toMatchObject({
        duplicate: true,
        incident: { id: first.body.incident.id },
      });
      const resolvedAt = new Date(Date.now() - 900_000).toISOString();
      const resolved = await incident(token, { ...generic, resolvedAt });
      expect(resolved.status).toBe(200);
      expect(resolved.body.incident).toMatchObject({
        status: 'resolved',
        resolvedAt,
      });

      // PagerDuty's v3 webhook: the service found by its annotation.
      const pagerDuty = (eventType: string, occurredAt: string) => ({
        event: {
          id: `${eventType}-${occurredAt}`,
          event_type: eventType,
          resource_type: 'incident',
          occurred_at: occurredAt,
          data: {
            id: 'Q1LEDGER',
            type: 'incident',
            number: 7,
            title: 'Ledger latency',
            status:
              eventType === 'incident.resolved' ? 'resolved' : 'triggered',
            created_at: openedAt,
            html_url: 'https://acme.pagerduty.example/incidents/Q1LEDGER',
            service: { id: 'PLEDGER', summary: 'Ledger' },
            priority: { summary: 'P1' },
            urgency: 'high',
          },
        },
      });
      const triggered = await incident(
        token,
        pagerDuty('incident.triggered', openedAt),
      );
      expect(triggered.status).toBe(201);
      expect(triggered.body.incident).toMatchObject({
        service: 'component:default/journal',
        severity: 'critical',
        source: 'pagerduty',
        url: 'https://acme.pagerduty.example/incidents/Q1LEDGER',
      });
      expect(
        (await incident(token, pagerDuty('incident.triggered', openedAt))).body
          .duplicate,
      ).toBe(true);
      expect(
        (
          await incident(
            token,
            pagerDuty('incident.acknowledged', new Date().toISOString()),
          )
        ).status,
      ).toBe(202);
      const pdResolved = new Date(Date.now() - 600_000).toISOString();
      expect(
        (await incident(token, pagerDuty('incident.resolved', pdResolved))).body
          .incident,
      ).toMatchObject({ status: 'resolved', resolvedAt: pdResolved });
      expect(
        (await incident(token, pagerDuty('incident.resolved', pdResolved))).body
          .duplicate,
      ).toBe(true);

      // Bad input: a clear 4xx, nothing stored.
      const before = await count();
      const refused = [
        await incident(undefined, { ...generic, id: 'x1' }),
        await incident(token, { ...generic, id: 'x2', service: 'nope' }),
        await incident(token, {
          ...generic,
          id: 'x3',
          resolvedAt: new Date(Date.parse(openedAt) - 60_000).toISOString(),
        }),
        await incident(token, { ...generic, id: 'x4', title: undefined }),
        await incident(token, {
          ...generic,
          id: 'x5',
          severity: 'apocalyptic',
        }),
        await incident(token, {
          ...generic,
          id: 'x6',
          title: 'x'.repeat(70_000),
        }),
        await incident(bobsToken, { ...generic, id: 'x7' }),
        await incident(token, {
          ...generic,
          id: 'x8',
          deploymentId: 'not-a-deployment',
        }),
        await incident(token, {
          event: {
            ...pagerDuty('incident.triggered', openedAt).event,
            data: {
              ...pagerDuty('incident.triggered', openedAt).event.data,
              id: 'Q2',
              service: { id: 'PUNKNOWN' },
            },
          },
        }),
        await incident(token, '{oops'),
      ].map(r => [r.status, r.body.error?.message]);
      expect(refused).toEqual([
        [401, expect.stringContaining('deploy token')],
        [404, 'No component component:default/nope in the catalog'],
        [400, expect.stringContaining('is before openedAt')],
        [400, 'title is required'],
        [400, 'severity must be one of critical, high, medium, low'],
        [413, 'A request body may be at most 64kb'],
        [
          403,
          expect.stringContaining('does not declare component:default/journal'),
        ],
        [400, expect.stringContaining('is not a deployment of')],
        [400, expect.stringContaining('pagerduty.com/service-id: PUNKNOWN')],
        [400, 'The body is not valid JSON'],
      ]);
      expect(await count()).toBe(before);

      // From the portal: only the service's owners (and the platform team).
      const mark = (user: string, body: object) =>
        request(server)
          .post(`/api/deployments/deployments/${deploymentId}/incidents`)
          .set('Authorization', as(user))
          .send(body);
      const notBobs = await mark(bob, { title: 'Totals wrong' });
      expect(notBobs.status).toBe(403);
      expect(notBobs.body.error.message).toContain(
        'Only the owners of component:default/journal',
      );
      expect((await mark(alice, { title: '' })).status).toBe(400);
      const marked = await mark(alice, {
        title: 'Totals wrong',
        severity: 'medium',
      });
      expect(marked.status).toBe(201);
      expect(marked.body).toMatchObject({
        deploymentId,
        source: 'portal',
        createdBy: alice,
        status: 'open',
      });
      const resolve = (user: string) =>
        request(server)
          .post(`/api/deployments/incidents/${marked.body.id}/resolve`)
          .set('Authorization', as(user))
          .send({});
      expect((await resolve(bob)).status).toBe(403);
      const done = await resolve(alice);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('resolved');
      expect((await resolve(alice)).status).toBe(409);

      const list = await request(server)
        .get('/api/deployments/incidents?service=journal')
        .set('Authorization', as(bob));
      expect(list.body.items).toHaveLength(3);

      // The figures: one deployment, failed once for three incidents (two
      // tied to it, PagerDuty's inferred), recovered when the last resolved.
      const figures = await request(server)
        .get('/api/deployments/metrics?entity=component:default/journal&days=7')
        .set('Authorization', as(bob));
      expect(figures.status).toBe(200);
      expect(figures.body.figures.changeFailureRate).toMatchObject({
        value: 1,
        numerator: { value: 1 },
        denominator: { value: 1 },
      });
      expect(
        figures.body.deployments[0].failure.reasons.map((r: any) => r.kind),
      ).toEqual(['incident', 'incident', 'incident_inferred']);
      expect(figures.body.deployments[0].failure.recoveredAt).toBe(
        done.body.resolvedAt,
      );
      const bad = await Promise.all(
        [
          'days=14',
          'environment=moon',
          'timeZone=Mars/Base',
          'to=yesterday',
          'entity=component:default/nope',
        ].map(
          async q =>
            (
              await request(server)
                .get(`/api/deployments/metrics?${q}`)
                .set('Authorization', as(bob))
            ).status,
        ),
      );
      expect(bad).toEqual([400, 400, 400, 400, 404]);
      // The API, documented where it is served.
      const openapi = await request(server).get(
        '/api/deployments/openapi.json',
      );
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/deployments/metrics',
          '/api/deployments/insights',
          '/api/deployments/incidents',
        ]),
      );
    });
  },
);
