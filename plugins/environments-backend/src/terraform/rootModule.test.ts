import fs from 'node:fs';
import path from 'node:path';
import { approvedModules, modulesOf } from '../__testUtils__/modules';
import { buildCredentials, buildRootModule } from './rootModule';
import { describeMessage, PlanCollector } from './progress';

const targets = {
  postgres: {
    host: '127.0.0.1',
    port: 5432,
    adminUser: 'postgres',
    adminPassword: 'admin-secret',
  },
  redis: { host: '127.0.0.1', port: 6379, adminUser: '', adminPassword: '' },
  rabbitmq: { host: '127.0.0.1', port: 5672, node: '' },
};

const registry = approvedModules(targets);

describe('buildRootModule', () => {
  const hostile = 'x; rm -rf / $(id) `id`';
  const root = buildRootModule({
    service: hostile,
    environment: 'dev',
    size: 'small',
    modules: modulesOf(registry, 'postgres', 'rabbitmq'),
    state: { type: 'pg', schemaName: 'paved_env_0123' },
    targets,
    passwords: { postgres: 'pg-secret', rabbitmq: 'mq-secret' },
  });

  it('passes every value as a variable, never as configuration text', () => {
    const config = JSON.stringify(root.config);
    expect(config).not.toContain(hostile);
    expect(config).not.toContain('secret');
    expect(root.tfvars.service).toBe(hostile);
    expect((root.config as any).module.postgres.service).toBe('${var.service}');
  });

  it('keeps secrets out of the tfvars file, in TF_VAR_* only, marked sensitive', () => {
    expect(JSON.stringify(root.tfvars)).not.toContain('secret');
    expect(root.secretEnv).toEqual({
      TF_VAR_postgres_admin_password: 'admin-secret',
      TF_VAR_postgres_password: 'pg-secret',
      TF_VAR_rabbitmq_password: 'mq-secret',
    });
    expect((root.config as any).variable.postgres_password).toEqual({
      type: 'string',
      sensitive: true,
    });
    // Credentials are never Terraform outputs, so never in state.
    expect(Object.keys((root.config as any).output)).not.toContain(
      'postgres_url',
    );
    expect(JSON.stringify((root.config as any).output)).not.toMatch(
      /password|connection_url/,
    );
  });

  it('uses only the approved modules it was asked for, with their state backend', () => {
    expect(root.modules).toEqual(['postgres-database', 'rabbitmq-vhost']);
    expect((root.config as any).terraform.backend).toEqual({
      pg: { schema_name: 'paved_env_0123' },
    });
  });
});

describe('modules as data', () => {
  it('builds the same root module and credentials from the manifests as the hand-written definitions did', () => {
    // Recorded from the TypeScript definitions (RESOURCE_DEFINITIONS) the
    // manifests replaced, for all three modules, an IPv6 host and
    // passwords that need encoding.
    const before = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '__fixtures__/beforeManifests.json'),
        'utf8',
      ),
    );
    const modules = approvedModules({
      postgres: {
        host: '::1',
        port: 5432,
        adminUser: 'postgres',
        adminPassword: 'admin-secret',
      },
      redis: {
        host: '127.0.0.1',
        port: 6379,
        adminUser: 'ad',
        adminPassword: 'rs',
      },
      rabbitmq: { host: '127.0.0.1', port: 5672, node: 'n' },
    });
    const three = modulesOf(modules, 'postgres', 'redis', 'rabbitmq');
    const passwords = { postgres: 'p/1', redis: 'r 2', rabbitmq: 'm@3' };
    expect(
      buildRootModule({
        service: 'svc',
        environment: 'dev',
        size: 'medium',
        modules: three,
        state: { type: 'pg', schemaName: 'paved_env_0123' },
        targets: modules.targets,
        passwords,
      }),
    ).toEqual(before.root);
    expect(
      buildCredentials(
        three,
        {
          postgres_username: 'u@x',
          postgres_host: '::1',
          postgres_port: 5432,
          postgres_database: 'd b',
          redis_username: 'ru',
          redis_host: 'h',
          redis_port: 6379,
          rabbitmq_username: 'mu',
          rabbitmq_host: 'mh',
          rabbitmq_port: 5672,
          rabbitmq_vhost: 'v/1',
        },
        passwords,
      ),
    ).toEqual(before.creds);
  });
});

describe('buildCredentials', () => {
  it('builds URLs from the outputs and the generated password, encoded', () => {
    expect(
      buildCredentials(
        modulesOf(registry, 'postgres', 'rabbitmq'),
        {
          postgres_username: 'svc_dev',
          postgres_host: '::1',
          postgres_port: 5432,
          postgres_database: 'svc_dev',
          rabbitmq_username: 'svc-dev',
          rabbitmq_host: '127.0.0.1',
          rabbitmq_port: 5672,
          rabbitmq_vhost: 'svc-dev',
        },
        { postgres: 'p@ss/w:rd', rabbitmq: 'mq' },
      ),
    ).toEqual({
      postgres_url: 'postgresql://svc_dev:p%40ss%2Fw%3Ard@[::1]:5432/svc_dev',
      postgres_password: 'p@ss/w:rd',
      rabbitmq_url: 'amqp://svc-dev:mq@127.0.0.1:5672/svc-dev',
      rabbitmq_password: 'mq',
    });
  });
});

describe('progress', () => {
  it('turns Terraform JSON messages into lines and a plan summary', () => {
    const plan = new PlanCollector();
    const messages = [
      {
        type: 'planned_change',
        change: {
          resource: { addr: 'module.postgres.terraform_data.database' },
          action: 'create',
        },
      },
      { type: 'change_summary', changes: { add: 2, change: 0, remove: 0 } },
    ];
    messages.forEach(m => plan.add(m));
    expect(plan.summary()).toEqual({
      add: 2,
      change: 0,
      remove: 0,
      changes: [
        {
          address: 'module.postgres.terraform_data.database',
          action: 'create',
        },
      ],
    });
    expect(
      describeMessage({
        type: 'diagnostic',
        diagnostic: {
          severity: 'error',
          summary: 'local-exec provisioner error',
          detail: 'exit status 1',
          address: 'module.redis',
        },
      }),
    ).toEqual({
      level: 'error',
      message: 'local-exec provisioner error (module.redis): exit status 1',
    });
    // Output values never become log lines.
    expect(
      describeMessage({ type: 'outputs', '@message': 'Outputs: 3' }),
    ).toBeUndefined();
  });
});
