import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Refuse a service name that the catalog or the git host already has, before anything is made',
    example: yaml.stringify({
      steps: [
        {
          id: 'names',
          action: 'paved:names:check',
          name: 'Check the name is free',
          input: { name: 'checkout-api', api: true },
        },
      ],
    }),
  },
];
