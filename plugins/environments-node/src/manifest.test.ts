import fs from 'node:fs';
import path from 'node:path';
import { fillTemplate, moduleManifestJsonSchema } from './manifest';

describe('manifests', () => {
  it('fills credential templates with the encoding each placeholder asks for', () => {
    expect(
      fillTemplate('mysql://{user}:{password}@{host|host}:{port|raw}/{db}', {
        user: 'a b',
        password: 'p@ss/w:rd',
        host: '::1',
        port: 3306,
        db: 'x',
      }),
    ).toBe('mysql://a%20b:p%40ss%2Fw%3Ard@[::1]:3306/x');
  });

  it('ships a JSON Schema that is the one the plugin checks with', () => {
    const file = path.resolve(__dirname, '../schema/paved-module.schema.json');
    // After a change to manifest.ts, write it again with
    // UPDATE_SCHEMA=1 yarn backstage-cli repo test plugins/environments-node
    if (process.env.UPDATE_SCHEMA) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        `${JSON.stringify(moduleManifestJsonSchema(), null, 2)}\n`,
      );
    }
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(
      moduleManifestJsonSchema(),
    );
  });
});
