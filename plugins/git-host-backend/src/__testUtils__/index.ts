import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const execFileAsync = promisify(execFile);

/**
 * Runs the real git client for a test: a fixed identity, and never a
 * prompt for credentials (a refused request fails instead of hanging).
 */
export function git(cwd: string, ...args: string[]) {
  return execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: 'true',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
}

/** Who is in which team in the tests; pat is in the platform team. */
export const TEAMS: Record<string, string> = {
  'user:default/alice': 'group:default/payments',
  'user:default/bob': 'group:default/checkout',
  'user:default/pat': 'group:default/platform',
};

/** The Authorization header of a user's Backstage token. */
export const as = (user: string) => mockCredentials.user.header(user);

/** The teams in the tokens' ownership claims. */
export const teamUserInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: TEAMS[ref] ? [ref, TEAMS[ref]] : [ref],
      };
    },
  }),
});

/**
 * The teams as the backend sees them: in the tokens' ownership claims
 * (user info) and as catalog relations (for git tokens, which name only
 * their user).
 */
export function teamServices() {
  return [
    teamUserInfo,
    catalogServiceMock.factory({
      entities: [
        ...Object.entries(TEAMS).map(([user, group]) => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: user.split('/')[1], namespace: 'default' },
          spec: { memberOf: [group] },
          relations: [{ type: 'memberOf', targetRef: group }],
        })),
        ...Object.values(TEAMS).map(group => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: group.split('/')[1], namespace: 'default' },
          spec: { type: 'team', children: [] },
        })),
      ],
    }),
  ];
}

/** The clone URL with a credential in it, as git accepts it. */
export const withToken = (url: string, token: string) =>
  url.replace('http://', `http://paved:${encodeURIComponent(token)}@`);
