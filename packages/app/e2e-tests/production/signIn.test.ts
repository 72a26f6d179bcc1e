import { expect, test } from '@playwright/test';
import { saveScreenshot } from '../signIn';
import {
  claimsOf,
  PEOPLE,
  signIn,
  signInThroughBrowser,
  signInWhenKnown,
} from './oidc';

test('starts with the shipped production config and signs people in through OpenID Connect', async ({
  page,
  request,
}) => {
  // The seed organization is in the catalog (people sign in as its Users).
  await signInWhenKnown(PEOPLE.priya);
  // The sign-in page offers the single sign-on, not the guest.
  await page.goto('/');
  await expect(page.getByText('Paved test SSO')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  await saveScreenshot(page, 'production-sign-in');

  await signInThroughBrowser(page, PEOPLE.sofia);
  await page.goto('/settings');
  // The catalog's Sofia Marin, of the checkout team, found by her email.
  await expect(page.getByText('sofia.marin@example.com')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Checkout Team' })).toBeVisible();
  await saveScreenshot(page, 'production-signed-in');

  // The token names the person the catalog has for that email, and their team.
  const session = await signIn(PEOPLE.sofia);
  expect(await claimsOf(session)).toEqual([
    'group:default/checkout',
    'user:default/sofia-marin',
  ]);
  // Nobody the catalog does not know gets in.
  const stranger = await signIn('nobody').catch(error => error);
  expect(String(stranger)).toMatch(/Failed to sign-in|not found|401|403|500/i);

  // Guest sign-in is refused outside development.
  const guest = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(guest.status()).toBe(403);
  expect(await guest.text()).toMatch(
    /cannot be used outside of a development environment/,
  );
});
