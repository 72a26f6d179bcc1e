import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A GitHub Actions pipeline for a TypeScript service with three environments',
    example: yaml.stringify({
      steps: [
        {
          id: 'pipeline',
          action: 'paved:pipeline:provision',
          name: 'Provision the CI/CD pipeline',
          input: {
            name: 'checkout-api',
            ciSystem: 'github-actions',
            language: 'node',
            environments: ['dev', 'staging', 'production'],
          },
        },
      ],
    }),
  },
  {
    description:
      'A GitLab CI pipeline for a Python service, deployed to dev only',
    example: yaml.stringify({
      steps: [
        {
          id: 'pipeline',
          action: 'paved:pipeline:provision',
          input: {
            name: 'fraud-scoring',
            ciSystem: 'gitlab-ci',
            language: 'python',
          },
        },
      ],
    }),
  },
];
