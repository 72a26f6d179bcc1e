export interface Config {
  paved?: {
    signIn?: {
      /**
       * Which ways to sign in the sign-in page offers: `guest` (local use
       * only; the backend refuses it outside NODE_ENV=development) and
       * `oidc` (the auth backend's `oidc` provider). Default: guest.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc'>;
      /**
       * What the OpenID Connect button is called, e.g. "Acme SSO".
       * @visibility frontend
       */
      oidcTitle?: string;
    };
  };
}
