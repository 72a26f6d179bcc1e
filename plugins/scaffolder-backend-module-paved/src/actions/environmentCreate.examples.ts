import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A dev environment with a database, for three days',
    example: yaml.stringify({
      steps: [
        {
          id: 'environment',
          action: 'paved:environment:create',
          name: 'Create the dev environment',
          input: {
            service: 'component:default/checkout-api',
            owner: 'group:default/checkout',
            name: 'dev',
            size: 'small',
            resources: ['postgres'],
            ttlHours: 72,
          },
        },
      ],
    }),
  },
  {
    description: 'A preview environment with every building block',
    example: yaml.stringify({
      steps: [
        {
          id: 'environment',
          action: 'paved:environment:create',
          input: {
            service: 'component:default/payments-api',
            owner: 'group:default/payments',
            name: 'pr-42',
            size: 'medium',
            resources: ['postgres', 'redis', 'rabbitmq'],
            ttlHours: 24,
          },
        },
      ],
    }),
  },
];
