import { Entity } from '@backstage/catalog-model';
import { DeploymentAnnotationsProcessor } from './DeploymentAnnotationsProcessor';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Orders',
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
  spec: { type: 'service', owner: 'group:default/payments' },
};

describe('DeploymentAnnotationsProcessor', () => {
  it('annotates a component with its current deployment per environment', async () => {
    const asked: string[] = [];
    const processor = new DeploymentAnnotationsProcessor({
      of: async service => {
        asked.push(service);
        return [
          {
            environment: 'dev',
            current: {
              commit: 'a'.repeat(40),
              version: '1.2.0',
              finishedAt: '2026-12-02T10:00:00.000Z',
            },
          },
          // Only failed deployments so far: nothing runs there.
          { environment: 'production' },
        ];
      },
    });
    const out = await processor.preProcessEntity(component);
    expect(asked).toEqual(['component:default/orders']);
    expect(out.metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'dir:.',
      'paved.dev/deployed-dev': `${'a'.repeat(
        40,
      )} 1.2.0 2026-12-02T10:00:00.000Z`,
    });
  });

  it('leaves other kinds, and components when the deployments plugin fails, unchanged', async () => {
    const processor = new DeploymentAnnotationsProcessor({
      of: async () => {
        throw new Error('connection refused');
      },
    });
    expect(await processor.preProcessEntity(component)).toBe(component);
    const api = { ...component, kind: 'API' };
    expect(await processor.preProcessEntity(api)).toBe(api);
  });
});
