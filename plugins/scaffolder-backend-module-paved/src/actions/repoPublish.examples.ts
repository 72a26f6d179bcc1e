import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Publish the rendered workspace as a new repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'paved:repo:publish',
          name: 'Publish to the git host',
          input: {
            name: 'checkout-api',
            owner: 'group:default/checkout',
            description: 'Checkout API, from the TypeScript golden path',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish one folder of the workspace with a custom commit message',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'paved:repo:publish',
          input: {
            name: 'payments-gateway',
            owner: 'group:default/payments',
            sourcePath: 'service',
            gitCommitMessage:
              'Start payments-gateway from the TypeScript golden path',
          },
        },
      ],
    }),
  },
];
