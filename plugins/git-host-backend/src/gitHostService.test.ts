import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  GitHostService,
  gitHostServiceRef,
} from '@internal/plugin-git-host-node';
import { startGitHost } from './__testUtils__/harness';

jest.setTimeout(60_000);

// The real git host in a test backend, and a plugin that uses the service
// as another Paved plugin would.

describe('gitHostServiceRef', () => {
  it("opens a change request as the user, with the git host's rules", async () => {
    let service: GitHostService | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { gitHost: gitHostServiceRef, logger: coreServices.logger },
          async init({ gitHost }) {
            service = gitHost;
          },
        });
      },
    });
    const host = await startGitHost('SQLITE_3', {}, [probe]);
    try {
      await host.create('user:default/alice', 'shop');
      const work = await host.pushFiles('user:default/alice', 'payments/shop', {
        'a.txt': '1\n',
      });
      await host.pushFiles(
        'user:default/alice',
        'payments/shop',
        { 'a.txt': '2\n' },
        { work, branch: 'upgrade' },
      );

      const alice = { credentials: mockCredentials.user('user:default/alice') };
      const opened = await service!.openChangeRequest(
        {
          repository: 'payments/shop',
          head: 'upgrade',
          title: 'Upgrade',
          body: 'From the template',
        },
        alice,
      );
      expect(opened).toMatchObject({
        number: 1,
        state: 'open',
        mergeable: true,
        head: { ref: 'upgrade' },
      });
      expect(
        await service!.findChangeRequests(
          { repository: 'payments/shop', head: 'upgrade' },
          alice,
        ),
      ).toHaveLength(1);

      // bob is not in payments: refused with the git host's reason.
      await expect(
        service!.openChangeRequest(
          { repository: 'payments/shop', head: 'upgrade', title: 'Mine' },
          { credentials: mockCredentials.user('user:default/bob') },
        ),
      ).rejects.toThrow(/Only members of group:default\/payments/);
      await expect(
        service!.openChangeRequest(
          { repository: 'shop', head: 'x', title: 'x' },
          alice,
        ),
      ).rejects.toThrow(/owner\/name/);
    } finally {
      await host.stop();
    }
  });
});
