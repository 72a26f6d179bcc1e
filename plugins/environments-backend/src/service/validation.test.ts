import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { MODULES_DIR } from '../__testUtils__/modules';
import { ModuleRegistry } from '../modules/ModuleRegistry';
import { buildRootModule } from '../terraform/rootModule';
import { validateRequest } from './validation';

/**
 * A module that asks the developer two questions, as a platform team would
 * publish one: a copy of the MariaDB module with a character set (an enum)
 * and a connection limit (bounded) as form inputs.
 */
function moduleWithQuestions() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-form-modules-'));
  const folder = path.join(dir, 'mariadb-database');
  fs.cpSync(path.join(MODULES_DIR, 'mariadb-database'), folder, {
    recursive: true,
  });
  fs.appendFileSync(
    path.join(folder, 'variables.tf'),
    `
variable "charset" {
  type    = string
  default = "utf8mb4"
}

variable "max_connections" {
  type    = number
  default = 5
}
`,
  );
  const manifest = path.join(folder, 'paved-module.yaml');
  fs.writeFileSync(
    manifest,
    fs.readFileSync(manifest, 'utf8').replace(
      '    password: { from: secret }',
      `    password: { from: secret }
    charset:
      from: form
      type: string
      title: Character set
      enum: [utf8mb4, latin1]
      default: utf8mb4
    max_connections:
      from: form
      type: integer
      title: Connections
      minimum: 1
      maximum: 50`,
    ),
  );
  return dir;
}

describe('validateRequest with modules that ask questions', () => {
  let dir: string;
  let modules: ModuleRegistry;
  const config = { defaultTtlHours: 72, maxTtlHours: 720 };
  const request = (inputs: object) => ({
    service: 'component:default/shop',
    name: 'dev',
    resources: ['mariadb'],
    inputs: inputs as any,
  });

  beforeAll(() => {
    dir = moduleWithQuestions();
    modules = new ModuleRegistry({
      modulesDir: dir,
      targets: {},
      logger: mockServices.logger.mock(),
    });
  });

  it('reads the module with its questions', () => {
    expect(modules.problems()).toEqual([]);
  });
  afterAll(() => {
    modules.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes answers within the manifest, with defaults filled in, and passes them to the module', () => {
    const valid = validateRequest(
      request({ mariadb: { max_connections: 20 } }),
      config,
      modules,
    );
    expect(valid.inputs).toEqual({
      mariadb: { charset: 'utf8mb4', max_connections: 20 },
    });
    const root = buildRootModule({
      service: 'shop',
      environment: 'dev',
      size: 'small',
      modules: [modules.get('mariadb')!],
      state: { type: 'local', path: '/tmp/x.tfstate' },
      targets: {},
      passwords: { mariadb: 'pw' },
      formInputs: valid.inputs,
    });
    expect(root.tfvars).toMatchObject({
      mariadb_charset: 'utf8mb4',
      mariadb_max_connections: 20,
    });
    expect((root.config as any).variable.mariadb_max_connections).toEqual({
      type: 'number',
    });
  });

  it.each([
    [
      { mariadb: { max_connections: 51 } },
      /inputs\.mariadb\.max_connections 51: must be at most 50/,
    ],
    [
      { mariadb: { max_connections: 0 } },
      /max_connections 0: must be at least 1/,
    ],
    [
      { mariadb: { max_connections: 2.5 } },
      /max_connections 2\.5: must be a whole number/,
    ],
    [
      { mariadb: { max_connections: '9' } },
      /max_connections "9": must be a number/,
    ],
    [{ mariadb: {} }, /inputs\.mariadb\.max_connections null: required/],
    [
      { mariadb: { max_connections: 5, charset: 'ebcdic' } },
      /inputs\.mariadb\.charset "ebcdic": must be one of utf8mb4, latin1/,
    ],
    [
      { mariadb: { max_connections: 5, size: 'xl' } },
      /inputs\.mariadb\.size: the mariadb module asks no such question \(it asks charset, max_connections\)/,
    ],
    [
      { postgres: {}, mariadb: { max_connections: 5 } },
      /inputs\.postgres: not one of the requested resources/,
    ],
  ])('refuses %j with a message naming the field', (inputs, message) => {
    expect(() => validateRequest(request(inputs), config, modules)).toThrow(
      message,
    );
  });
});
