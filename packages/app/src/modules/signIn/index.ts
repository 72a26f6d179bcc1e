import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./SignInPage').then(m => m.PavedSignInPage),
  },
});

/** Guest sign-in locally, OpenID Connect in production (config decides). */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, signInPage],
});
