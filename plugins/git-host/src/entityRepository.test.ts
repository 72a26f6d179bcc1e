import { Entity } from '@backstage/catalog-model';
import { gitHostRepositoryOf, isGitHostComponent } from './entityRepository';

const component = (
  annotations: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'shop', annotations },
});

describe('gitHostRepositoryOf', () => {
  it('reads the repository from the source location', () => {
    const entity = component({
      'backstage.io/source-location':
        'url:http://localhost:7007/api/git-host/payments/shop/src/branch/main/',
      'backstage.io/managed-by-location':
        'url:http://localhost:7007/api/git-host/other/place/src/branch/main/catalog-info.yaml',
    });
    expect(gitHostRepositoryOf(entity)).toEqual({
      namespace: 'payments',
      name: 'shop',
    });
  });

  it('falls back to the location the entity was read from, on any host', () => {
    const entity = component({
      'backstage.io/managed-by-location':
        'url:https://paved.example.com/api/git-host/payments/shop/src/branch/main/catalog-info.yaml',
    });
    expect(gitHostRepositoryOf(entity)).toEqual({
      namespace: 'payments',
      name: 'shop',
    });
  });

  it.each([
    ['a file location', 'file:/srv/catalog/components.yaml'],
    ['another git host', 'url:https://github.com/acme/shop/tree/main/'],
    ['the git host API itself', 'url:http://x/api/git-host/api/v1/repos'],
  ])('finds none in %s', (_what, location) => {
    const entity = component({
      'backstage.io/managed-by-location': location,
    });
    expect(gitHostRepositoryOf(entity)).toBeUndefined();
    expect(isGitHostComponent(entity)).toBe(false);
  });

  it('counts only components as having pipelines', () => {
    const annotations = {
      'backstage.io/source-location':
        'url:http://localhost:7007/api/git-host/payments/shop/',
    };
    expect(isGitHostComponent(component(annotations))).toBe(true);
    expect(isGitHostComponent(component(annotations, 'API'))).toBe(false);
  });
});
