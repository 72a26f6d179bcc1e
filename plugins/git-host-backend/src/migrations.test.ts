import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const directory = resolvePackagePath(
  '@internal/plugin-git-host-backend',
  'migrations',
);
const config = { directory, tableName: 'git_host__knex_migrations' };

describe.each(databases.eachSupportedId())(
  'migrations, on %p',
  (databaseId: TestDatabaseId) => {
    it('gives flat repositories an owner segment and keeps their tokens, now expiring', async () => {
      const knex = await databases.init(databaseId);
      // The schema of the release before owner segments.
      await knex.migrate.up({ ...config, name: '20261121000000_init.js' });
      await knex.migrate.up({ ...config, name: '20261201000000_ownership.js' });
      const created = new Date('2026-11-25T10:00:00Z');
      await knex('git_host_repositories').insert([
        {
          name: 'shop',
          owner: 'group:default/payments',
          description: 'The shop',
          created_by: 'user:default/alice',
          created_at: created,
          created_by_task: 'task-1',
          protect_tags: false,
        },
        {
          name: 'docs',
          owner: 'user:default/bob',
          created_by: 'user:default/bob',
          created_at: created,
          protect_tags: true,
        },
      ]);
      await knex('git_host_tokens').insert([
        {
          id: 't1',
          token_hash: 'h1',
          repository: null,
          subject: 'user:default/alice',
          created_at: created,
        },
        {
          id: 't2',
          token_hash: 'h2',
          repository: 'shop',
          subject: 'user:default/alice',
          created_at: created,
        },
      ]);

      await knex.migrate.latest(config);

      const repos = await knex('git_host_repos').orderBy('name');
      expect(
        repos.map(r => [
          r.owner_segment,
          r.name,
          r.legacy_name,
          r.folder,
          r.visibility,
        ]),
      ).toEqual([
        ['bob', 'docs', 'docs', 'docs.git', 'internal'],
        ['payments', 'shop', 'shop', 'shop.git', 'internal'],
      ]);
      const shop = repos.find(r => r.name === 'shop');
      expect(Boolean(shop.protect_tags)).toBe(false);
      expect(shop.created_by_task).toBe('task-1');
      expect(shop.description).toBe('The shop');

      const tokens = await knex('git_host_access_tokens').orderBy('id');
      expect(
        tokens.map(t => [t.id, t.token_hash, t.repository_id, t.scope]),
      ).toEqual([
        ['t1', 'h1', null, 'write'],
        ['t2', 'h2', shop.id, 'write'],
      ]);
      const days =
        (new Date(tokens[0].expires_at).getTime() - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(90);
      expect(await knex.schema.hasTable('git_host_repositories')).toBe(false);

      // And back: the flat repositories and their live tokens return.
      // The pipelines' tables go first, then the namespaces.
      await knex.migrate.down(config);
      expect(await knex.schema.hasTable('git_host_pipelines')).toBe(false);
      await knex.migrate.down(config);
      expect(
        (await knex('git_host_repositories').orderBy('name')).map(r => r.name),
      ).toEqual(['docs', 'shop']);
      expect(
        (await knex('git_host_tokens').orderBy('id')).map(t => [
          t.id,
          t.repository,
        ]),
      ).toEqual([
        ['t1', null],
        ['t2', 'shop'],
      ]);
      await knex.destroy();
    });
  },
);
