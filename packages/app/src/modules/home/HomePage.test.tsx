import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { HomePage } from './HomePage';

const entity = (kind: string, name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name },
});

describe('HomePage', () => {
  it('leads with golden paths and the catalog, with live counts', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        entity('Component', 'a'),
        entity('Component', 'b'),
        entity('Component', 'c'),
        entity('API', 'd'),
        entity('Group', 'e'),
      ],
    });
    await renderInTestApp(<HomePage />, {
      apis: [[catalogApiRef, catalogApi]],
    });

    expect(
      screen.getByRole('link', { name: 'Create a service' }),
    ).toHaveAttribute('href', '/create');
    expect(
      screen.getByRole('link', { name: 'Browse the catalog' }),
    ).toHaveAttribute('href', '/catalog');

    const counts = await screen.findByLabelText('Catalog size');
    expect(counts).toHaveTextContent('3Components');
    expect(counts).toHaveTextContent('1APIs');
    expect(counts).toHaveTextContent('0Systems');
    expect(counts).toHaveTextContent('1Groups');
  });
});
