import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { MODULES_DIR } from '../__testUtils__/modules';
import { MANIFEST_FILE, ModuleRegistry } from './ModuleRegistry';

/** A copy of the approved modules, to break one of them. */
function copyOfModules() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-modules-'));
  for (const folder of [
    'postgres-database',
    'redis-acl-user',
    'rabbitmq-vhost',
  ]) {
    fs.cpSync(path.join(MODULES_DIR, folder), path.join(dir, folder), {
      recursive: true,
    });
  }
  return dir;
}

describe('ModuleRegistry', () => {
  let dir: string;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let registry: ModuleRegistry | undefined;
  const load = () => {
    registry = new ModuleRegistry({ modulesDir: dir, targets: {}, logger });
    return registry;
  };
  const edit = (folder: string, change: (text: string) => string) => {
    const file = path.join(dir, folder, MANIFEST_FILE);
    fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  };

  beforeEach(() => {
    dir = copyOfModules();
    logger = mockServices.logger.mock();
  });
  afterEach(() => {
    registry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers every approved module from its manifest', () => {
    const modules = load();
    expect(
      modules.list().map(m => [m.name, m.folder, m.manifest.metadata.version]),
    ).toEqual([
      ['postgres', 'postgres-database', '1.0.0'],
      ['rabbitmq', 'rabbitmq-vhost', '1.0.0'],
      ['redis', 'redis-acl-user', '1.0.0'],
    ]);
    expect(modules.problems()).toEqual([]);
  });

  it.each([
    [
      'a missing field',
      (t: string) => t.replace(/^ {2}title: .*$/m, ''),
      /postgres-database\/paved-module\.yaml.*metadata\.title/,
    ],
    [
      'an unknown input source',
      (t: string) =>
        t.replace('password: { from: secret }', 'password: { from: vault }'),
      /spec\.inputs\.password\.from/,
    ],
    [
      'an output the module does not declare',
      (t: string) =>
        t.replace(
          '{ name: port, shown: true }',
          '{ name: socket, shown: true }',
        ),
      /spec\.outputs\.3\.name: the module declares no output "socket"/,
    ],
    [
      'a credential template naming an unknown output',
      (t: string) => t.replace('/{database}', '/{schema}'),
      /spec\.credentials\.url: \{schema\} is neither an output/,
    ],
    [
      'a form input whose pattern is not a regular expression',
      (t: string) =>
        t.replace(
          'password: { from: secret }',
          'password: { from: form, type: string, title: Password, pattern: "([a-z" }',
        ),
      /spec\.inputs\.password\.pattern: not a regular expression/,
    ],
    [
      'a YAML error',
      (t: string) => t.replace('spec:', 'spec: [unclosed'),
      /YAML error/,
    ],
    [
      'an input the module has no variable for',
      (t: string) =>
        t.replace(
          'password: { from: secret }',
          'password: { from: secret }\n    pool: { from: size, values: { small: 1, medium: 2, large: 3 } }',
        ),
      /spec\.inputs\.pool: the module declares no variable "pool"/,
    ],
  ])(
    'refuses a manifest with %s, naming file and field, and keeps the others',
    (_, change, message) => {
      edit('postgres-database', change);
      const modules = load();
      expect(modules.get('postgres')).toBeUndefined();
      expect(modules.list().map(m => m.name)).toEqual(['rabbitmq', 'redis']);
      const problems = modules.problems();
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.map(p => `${p.file}: ${p.message}`).join('\n')).toMatch(
        message,
      );
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringMatching(
          /Module manifest postgres-database\/paved-module\.yaml refused/,
        ),
      );
    },
  );

  it('refuses a module folder without a manifest, and a second module of the same name', () => {
    fs.rmSync(path.join(dir, 'redis-acl-user', MANIFEST_FILE));
    fs.cpSync(
      path.join(dir, 'rabbitmq-vhost'),
      path.join(dir, 'rabbitmq-copy'),
      {
        recursive: true,
      },
    );
    const modules = load();
    expect(modules.list().map(m => m.name)).toEqual(['postgres', 'rabbitmq']);
    expect(modules.get('rabbitmq')?.folder).toBe('rabbitmq-copy');
    expect(modules.problems()).toEqual([
      {
        file: 'rabbitmq-vhost/paved-module.yaml',
        name: 'rabbitmq',
        message:
          'metadata.name: "rabbitmq" is already the name of rabbitmq-copy/paved-module.yaml',
      },
      {
        file: 'redis-acl-user/paved-module.yaml',
        message:
          'missing: the module in redis-acl-user/ is not offered until it has a paved-module.yaml',
      },
    ]);
  });

  it('reads the manifests again when one changes', async () => {
    const modules = load();
    modules.watch();
    edit('redis-acl-user', t => t.replace('version: 1.0.0', 'version: 1.1.0'));
    for (;;) {
      if (modules.get('redis')?.manifest.metadata.version === '1.1.0') break;
      await new Promise(r => setTimeout(r, 50));
    }
    edit('redis-acl-user', t =>
      t.replace('kind: TerraformModule', 'kind: Module'),
    );
    for (;;) {
      if (!modules.get('redis')) break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(modules.problems()[0]).toMatchObject({
      file: 'redis-acl-user/paved-module.yaml',
      message: expect.stringMatching(/^kind: /),
    });
  });
});
