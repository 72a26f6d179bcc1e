import { APIRequestContext, Page, expect, request } from '@playwright/test';

/** The seed organization's people the tests sign in as, and their teams. */
export const PEOPLE = {
  /** platform */
  priya: 'priya.raman',
  /** checkout */
  sofia: 'sofia.marin',
  /** payments */
  daniel: 'daniel.ortiz',
};

/** Signs in through the sign-in page and the provider's own login form. */
export async function signInThroughBrowser(page: Page, login: string) {
  await page.goto('/');
  await expect(page.getByText('Paved test SSO')).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await popup.locator('input[name="login"]').fill(login);
  await popup.locator('input[name="password"]').fill('any password');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  await popup.waitForEvent('close');
  await expect(
    page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** A signed-in session of one person, for calling the portal's APIs. */
export type Session = {
  login: string;
  token: string;
  /** Cookies of the sign-in, so the token can be refreshed. */
  context: APIRequestContext;
  headers: { Authorization: string };
};

/**
 * Signs in without a browser: the same redirects a browser follows (portal
 * → provider's login form → portal), then the portal's refresh call for a
 * Backstage token, as the frontend makes it.
 */
export async function signIn(login: string): Promise<Session> {
  const base = process.env.PAVED_E2E_URL!;
  const context = await request.newContext({ baseURL: base });
  const start = await context.get(
    `/api/auth/oidc/start?env=production&scope=${encodeURIComponent(
      'openid profile email',
    )}&origin=${encodeURIComponent(base)}&flow=popup`,
  );
  // The provider's login form, at /interaction/<uid>.
  expect(start.url(), await start.text()).toMatch(/\/interaction\/[^/]+$/);
  const done = await context.post(start.url(), {
    form: { prompt: 'login', login, password: 'any password' },
  });
  expect(done.status(), await done.text()).toBe(200);
  expect(done.url()).toContain('/api/auth/oidc/handler/frame');
  return { login, context, ...(await refresh(context)) };
}

/**
 * Signs in once the catalog knows the person and their team: right after
 * the portal starts, the seed organization may still be on its way in.
 */
export async function signInWhenKnown(login: string): Promise<Session> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const session = await signIn(login).catch(() => undefined);
    if (
      session &&
      (await claimsOf(session)).some(c => c.startsWith('group:'))
    ) {
      return session;
    }
    if (Date.now() > deadline) {
      throw new Error(`${login} could not sign in with their team`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function refresh(context: APIRequestContext) {
  const res = await context.get(
    '/api/auth/oidc/refresh?optional&env=production',
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  expect(res.status(), await res.text()).toBe(200);
  const token = (await res.json()).backstageIdentity.token as string;
  return { token, headers: { Authorization: `Bearer ${token}` } };
}

/** A fresh token of the same session, with the groups the catalog says now. */
export async function refreshed(session: Session): Promise<Session> {
  return { ...session, ...(await refresh(session.context)) };
}

/** Who a session acts for: the person and their groups, as the portal says. */
export async function claimsOf(session: Session): Promise<string[]> {
  const res = await session.context.get('/api/auth/v1/userinfo', {
    headers: session.headers,
  });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()).claims.ent as string[]).sort();
}

/** Polls `probe` every half second until it answers, for two minutes at most. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}
