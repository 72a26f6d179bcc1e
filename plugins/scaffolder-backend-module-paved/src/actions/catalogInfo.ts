import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import yaml from 'yaml';

/**
 * Changes the Component in a workspace's catalog-info.yaml, keeping the
 * other documents (an API, say) and the file's comments as they are. Does
 * nothing when there is no catalog-info.yaml or no Component in it.
 */
export async function updateComponent(
  workspacePath: string,
  change: (component: yaml.Document) => void,
) {
  const file = resolveSafeChildPath(workspacePath, 'catalog-info.yaml');
  const source = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (source === undefined) {
    return;
  }
  const documents = yaml.parseAllDocuments(source);
  const component = documents.find(d => d.get('kind') === 'Component');
  if (!component) {
    return;
  }
  change(component as yaml.Document);
  await fs.writeFile(file, documents.map(d => d.toString()).join(''));
}
