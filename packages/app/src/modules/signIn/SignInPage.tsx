import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { oidcAuthApiRef } from './oidcAuthApi';

/**
 * The ways to sign in that `paved.signIn.providers` names: the same build
 * offers guest sign-in locally and single sign-on in production.
 */
export function PavedSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const names = config.getOptionalStringArray('paved.signIn.providers') ?? [
    'guest',
  ];
  const title = config.getOptionalString('paved.signIn.oidcTitle');
  const providers = names.flatMap(
    (name): Array<'guest' | SignInProviderConfig> => {
      if (name === 'guest') return ['guest'];
      if (name === 'oidc') {
        return [
          {
            id: 'oidc-auth-provider',
            title: title ?? 'Single sign-on',
            message: 'Sign in with your company account',
            apiRef: oidcAuthApiRef,
          },
        ];
      }
      return [];
    },
  );
  return <SignInPage {...props} providers={providers} />;
}
