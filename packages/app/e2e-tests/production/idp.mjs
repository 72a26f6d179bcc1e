// A real OpenID Connect provider (the npm package oidc-provider) on
// loopback, for the production sign-in tests: one client (the portal), and
// an account for every login, whose email is <login>@example.com, the seed
// organization's addresses. Its own login form asks for the login; any
// password is accepted, and no consent screen is shown.
// Usage: node idp.mjs <port> <portal base URL> <client secret>
import Provider from 'oidc-provider';

const [port, portal, clientSecret] = process.argv.slice(2);
const issuer = `http://localhost:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'paved',
      client_secret: clientSecret,
      redirect_uris: [`${portal}/api/auth/oidc/handler/frame`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['paved-e2e-idp'] },
  // A refresh token without a consent screen, so a reload stays signed in.
  issueRefreshToken: async (_ctx, client) =>
    client.grantTypeAllowed('refresh_token'),
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile offline_access');
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, id) {
    if (!/^[a-z][a-z.-]*$/.test(id)) return undefined;
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        email: `${id}@example.com`,
        email_verified: true,
        name: id,
      }),
    };
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  // eslint-disable-next-line no-console
  console.log(`OpenID Connect provider listening on ${issuer}`);
});
process.on('SIGTERM', () => process.exit(0));
