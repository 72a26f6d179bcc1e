import { APIResponse, expect, test } from '@playwright/test';
import { saveScreenshot } from '../signIn';
import {
  eventually,
  PEOPLE,
  Session,
  signInThroughBrowser,
  signInWhenKnown,
} from './oidc';

// Guardrails in the shipped configuration, with people of the real OpenID
// Connect provider: daniel (payments) asks for a protected environment of
// his team's service, aisha (payments) approves it in the browser, sofia
// (checkout) may not. Real Terraform against this machine's PostgreSQL.
const AISHA = 'aisha.bello';
const suffix = Date.now().toString(36).slice(-5);
const service = 'component:default/payments-api-service';

let daniel: Session;
let aisha: Session;
let sofia: Session;
let priya: Session;

test.beforeAll(async () => {
  [daniel, aisha, sofia, priya] = await Promise.all([
    signInWhenKnown(PEOPLE.daniel),
    signInWhenKnown(AISHA),
    signInWhenKnown(PEOPLE.sofia),
    signInWhenKnown(PEOPLE.priya),
  ]);
});

const api = (who: Session) => ({
  get: (url: string) =>
    who.context.get(`/api/environments${url}`, { headers: who.headers }),
  post: (url: string, data: object = {}) =>
    who.context.post(`/api/environments${url}`, {
      headers: who.headers,
      data,
    }),
});

const json = async (res: APIResponse, status: number) => {
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
};

/** Waits until a run is neither queued nor running. */
async function settled(runId: string) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const run = await json(await api(daniel).get(`/runs/${runId}`), 200);
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} never settled`);
    await new Promise(r => setTimeout(r, 500));
  }
}

async function notifications(who: Session) {
  const res = await who.context.get('/api/notifications', {
    headers: who.headers,
  });
  const body = await json(res, 200);
  return (body.notifications as Array<{ payload: { title: string } }>).map(
    n => n.payload.title,
  );
}

/** Destroys an environment; a protected one's destroy is approved by aisha. */
async function destroy(envId: string) {
  const asked = await json(
    await api(daniel).post(`/environments/${envId}/runs`, { kind: 'destroy' }),
    202,
  );
  let run = await settled(asked.id);
  if (run.status === 'awaiting-approval' && run.gate.overrideRequired) {
    // Outside the change window a production database's destroy is a
    // broken soft rule: the platform team overrides it.
    await json(
      await api(priya).post(`/runs/${run.id}/override`, {
        reason: 'End-to-end test clean-up',
      }),
      200,
    );
  }
  if (run.status === 'awaiting-approval' && run.gate.approvalsRequired > 0) {
    await json(
      await api(aisha).post(`/runs/${run.id}/approve`, {
        planHash: run.gate.planHash,
      }),
      200,
    );
    run = await settled(run.id);
  }
  expect(run.status, run.error).toBe('succeeded');
}

test('a prod apply waits for an approval of exactly its plan by another member of the owning group', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const name = `prod-${suffix}`;
  const created = await json(
    await api(daniel).post('/environments', {
      service,
      name,
      size: 'small',
      resources: ['postgres'],
      ttlHours: 24,
    }),
    202,
  );
  const envId = created.environment.id;
  try {
    const first = await settled(created.run.id);
    expect(first.status).toBe('awaiting-approval');

    // The requester cannot approve it: the page says so, the API refuses.
    await signInThroughBrowser(page, PEOPLE.daniel);
    await page.goto(`/environments/${envId}`);
    await expect(
      page.getByText('Apply waits for approval').first(),
    ).toBeVisible();
    await expect(
      page.getByText(/You asked for this, so someone else must approve it/),
    ).toBeVisible();
    await expect(
      page.getByRole('button', { name: 'Approve this plan' }),
    ).toBeDisabled();
    await saveScreenshot(page, 'guardrails-requester');
    const own = await api(daniel).post(`/runs/${first.id}/approve`, {
      planHash: first.gate.planHash,
    });
    expect(own.status()).toBe(403);
    expect((await own.json()).error.message).toMatch(
      /someone else from group:default\/payments or group:default\/platform must approve it/,
    );
    // Nor can someone of another team.
    const other = await api(sofia).post(`/runs/${first.id}/approve`, {
      planHash: first.gate.planHash,
    });
    expect(other.status()).toBe(403);

    // A re-plan in between voids the plan waiting before.
    const replan = await json(
      await api(daniel).post(`/environments/${envId}/runs`, { kind: 'apply' }),
      202,
    );
    expect(replan.voided).toEqual([first.id]);
    const second = await settled(replan.id);
    expect(second.status).toBe('awaiting-approval');
    const stale = await api(aisha).post(`/runs/${first.id}/approve`, {
      planHash: first.gate.planHash,
    });
    expect(stale.status()).toBe(409);
    expect((await stale.json()).error.message).toMatch(
      /This plan was replaced/,
    );

    // aisha is told, and sees the plan, its cost change and the policies.
    await eventually('the approval request', async () =>
      (
        await notifications(aisha)
      ).some(t => t.startsWith(`Approval requested: apply of ${name}`)),
    );
    expect(
      (await notifications(daniel)).some(t =>
        t.startsWith('Approval requested'),
      ),
    ).toBe(false);
    const approver = await browser.newContext();
    const approverPage = await approver.newPage();
    try {
      await signInThroughBrowser(approverPage, AISHA);
      await approverPage.goto(`/environments/${envId}`);
      await expect(
        approverPage.getByText('Apply waits for approval').first(),
      ).toBeVisible();
      await expect(
        approverPage.getByText(/^\+\d+ to add$/).first(),
      ).toBeVisible();
      await expect(
        approverPage.getByTestId('cost-change').first(),
      ).toContainText('(+15.00 USD a month)');
      await expect(
        approverPage.getByText(/Policies: \d+ of \d+ passed/).first(),
      ).toBeVisible();
      await expect(
        approverPage.getByText('large-only-in-production').first(),
      ).toBeVisible();
      await expect(
        approverPage
          .getByText(`Plan ${second.gate.planHash.slice(0, 12)}`)
          .first(),
      ).toBeVisible();
      await saveScreenshot(approverPage, 'guardrails-approver');
      await approverPage
        .getByLabel('Comment, or the reason for a rejection or override')
        .fill('Reviewed the plan');
      await approverPage
        .getByRole('button', { name: 'Approve this plan' })
        .click();
      const applied = await settled(second.id);
      expect(applied.status, applied.error).toBe('succeeded');
      await expect(approverPage.getByText('ready').first()).toBeVisible();
      await saveScreenshot(approverPage, 'guardrails-applied');
    } finally {
      await approver.close();
    }

    // Exactly the approved plan was applied, and the requester was told.
    const events = await json(
      await api(daniel).get(`/runs/${second.id}/events?after=0`),
      200,
    );
    expect(
      events.items.map((e: { message: string }) => e.message).join('\n'),
    ).toContain(
      `Applying the approved plan ${second.gate.planHash.slice(
        0,
        12,
      )} exactly as it was planned`,
    );
    await eventually('the approval notice', async () =>
      (
        await notifications(daniel)
      ).some(t => new RegExp(`^Your apply of ${name} .* was approved`).test(t)),
    );
  } finally {
    await destroy(envId);
  }
});

test('a hard rule blocks a large dev environment, with its explanation', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const created = await json(
    await api(daniel).post('/environments', {
      service,
      name: `dev-${suffix}`,
      size: 'large',
      resources: ['postgres'],
      ttlHours: 24,
    }),
    202,
  );
  try {
    const run = await settled(created.run.id);
    expect(run.status).toBe('blocked');
    expect(run.error).toMatch(
      /large-only-in-production: Size large is for production only/,
    );
    await signInThroughBrowser(page, PEOPLE.daniel);
    await page.goto(`/environments/${created.environment.id}`);
    await expect(
      page.getByText('Blocked', { exact: true }).first(),
    ).toBeVisible();
    await expect(
      page.getByText(/Size large is for production only/).first(),
    ).toBeVisible();
    await saveScreenshot(page, 'guardrails-blocked');
  } finally {
    await destroy(created.environment.id);
  }
});
