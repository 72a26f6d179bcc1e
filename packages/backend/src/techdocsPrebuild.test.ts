import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import { prebuildMissingDocs } from './modules/techdocsPrebuild';

const catalogDir = path.resolve(__dirname, '../../../catalog');

/** A component of the seed catalog, with its docs where the seed has them. */
function seedComponent(name: string, docsDir: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: {
        'backstage.io/managed-by-location': `file:${catalogDir}/components.yaml`,
        'backstage.io/managed-by-origin-location': `file:${catalogDir}/components.yaml`,
        'backstage.io/techdocs-ref': `dir:./docs/${docsDir}`,
      },
    },
    spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
  };
}

function recordingLogger(lines: string[]): LoggerService {
  const logger: LoggerService = {
    error: message => lines.push(`error ${message}`),
    warn: message => lines.push(`warn ${message}`),
    info: message => lines.push(`info ${message}`),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

// Real TechDocs with Debian's mkdocs (installed by the README's commands),
// configured as app-config.yaml configures it; only the catalog is a mock.
describe('prebuildMissingDocs', () => {
  let publishDir: string;

  beforeEach(() => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-techdocs-'));
  });

  afterEach(() => {
    fs.rmSync(publishDir, { recursive: true, force: true });
  });

  it('builds docs nobody has opened, searchable, once, and reports the broken ones', async () => {
    const entities = [
      seedComponent('payments-api-service', 'payments-api-service'),
      seedComponent('ghost-service', 'no-such-folder'),
    ];
    const catalog = catalogServiceMock({ entities });
    const backend = await startTestBackend({
      features: [
        techdocsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            techdocs: {
              builder: 'local',
              generator: {
                runIn: 'local',
                mkdocs: {
                  omitTechdocsCorePlugin: true,
                  defaultPlugins: ['search'],
                  disableExternalFonts: true,
                },
              },
              publisher: {
                type: 'local',
                local: { publishDirectory: publishDir },
              },
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const discovery = {
      getBaseUrl: async (pluginId: string) =>
        `http://localhost:${port}/api/${pluginId}`,
      getExternalBaseUrl: async (pluginId: string) =>
        `http://localhost:${port}/api/${pluginId}`,
    };
    const mkdocsYml = path.join(
      catalogDir,
      'docs/payments-api-service/mkdocs.yml',
    );
    const mkdocsBefore = fs.readFileSync(mkdocsYml, 'utf8');
    const lines: string[] = [];
    const deps = {
      catalog,
      discovery,
      auth: mockServices.auth(),
      logger: recordingLogger(lines),
    };
    try {
      await prebuildMissingDocs(deps);

      const site = path.join(
        publishDir,
        'default/component/payments-api-service',
      );
      // The rendered page holds the seed's own text.
      const source = fs.readFileSync(
        path.join(catalogDir, 'docs/payments-api-service/docs/index.md'),
        'utf8',
      );
      const heading = source.match(/^# (.+)$/m)![1];
      expect(fs.readFileSync(path.join(site, 'index.html'), 'utf8')).toContain(
        heading,
      );
      // mkdocs' search index, which TechDocs' search collator reads.
      const index = JSON.parse(
        fs.readFileSync(path.join(site, 'search/search_index.json'), 'utf8'),
      );
      expect(index.docs.length).toBeGreaterThan(0);
      expect(lines).toContain('info Built the docs of 1 entities');
      // The broken one is named, and did not stop the other.
      expect(
        lines.some(line =>
          line.startsWith(
            'warn Could not build the docs of component:default/ghost-service',
          ),
        ),
      ).toBe(true);
      // The seed's mkdocs.yml is left as it was.
      expect(fs.readFileSync(mkdocsYml, 'utf8')).toBe(mkdocsBefore);

      // Published docs are not built again.
      const built = fs.statSync(path.join(site, 'index.html')).mtimeMs;
      lines.length = 0;
      await prebuildMissingDocs(deps);
      expect(lines.filter(line => line.startsWith('info Built'))).toEqual([]);
      expect(fs.statSync(path.join(site, 'index.html')).mtimeMs).toBe(built);
    } finally {
      await backend.stop();
    }
  });
});
