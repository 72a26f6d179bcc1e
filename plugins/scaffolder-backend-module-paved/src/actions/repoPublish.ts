import fs from 'node:fs/promises';
import {
  AuthService,
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  REPOSITORY_NAME_RULE,
  assertRepositoryName,
} from '@internal/plugin-git-host-common';
import { Config } from '@backstage/config';
import { git } from './git';
import yaml from 'yaml';
import { GitHostClient } from './gitHostClient';
import { examples } from './repoPublish.examples';
import { updateComponent } from './catalogInfo';
import { PIPELINE_PATH_ANNOTATION } from './pipelineProvision';

const DEFAULT_BRANCH = 'main';

/**
 * paved:repo:publish — creates a repository on Paved's embedded git host,
 * commits the workspace and pushes it. Both side effects are checkpointed,
 * so a retried task neither creates a second repository nor a second commit.
 */
export function createRepoPublishAction(options: {
  config: Config;
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const client = new GitHostClient(options.discovery, options.auth);
  const publicBaseUrl = `${options.config.getString(
    'backend.baseUrl',
  )}/api/git-host`;
  const author = {
    name:
      options.config.getOptionalString('scaffolder.defaultAuthor.name') ??
      'Paved',
    email:
      options.config.getOptionalString('scaffolder.defaultAuthor.email') ??
      'paved@localhost',
  };

  return createTemplateAction({
    id: 'paved:repo:publish',
    description:
      "Creates a repository on Paved's embedded git host, commits the workspace to its main branch and pushes it.",
    examples,
    schema: {
      input: {
        name: z =>
          z.string().describe(`Repository name: ${REPOSITORY_NAME_RULE}`),
        owner: z =>
          z.string().describe('Entity ref of the owning group or user'),
        description: z =>
          z.string().optional().describe('What the repository holds'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder of the workspace to publish; the whole workspace by default',
            ),
        gitCommitMessage: z =>
          z.string().optional().describe('Message of the initial commit'),
      },
      output: {
        remoteUrl: z => z.string().describe('Clone URL of the new repository'),
        repoContentsUrl: z =>
          z.string().describe('URL of the repository tree on main'),
        catalogInfoUrl: z =>
          z
            .string()
            .describe('URL of catalog-info.yaml on main, for catalog:register'),
        commitHash: z => z.string().describe('The pushed commit'),
        pipelinesUrl: z =>
          z
            .string()
            .describe(
              "The repository's pipelines in the portal, where its first pipeline runs",
            ),
      },
    },
    async handler(ctx) {
      const { name, owner, description } = ctx.input;
      assertRepositoryName(name);
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (!(await fs.stat(sourceDir).catch(() => undefined))?.isDirectory()) {
        throw new InputError(
          `Nothing to publish: the workspace has no folder '${ctx.input.sourcePath}'`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();

      const repository = await ctx.checkpoint({
        key: `paved.repo.create.${name}`,
        fn: async () => {
          // The task's id makes this idempotent: a task resumed after a
          // crash gets back the repository it made, anyone else a conflict.
          const created = await client.create(
            { name, owner, description, taskId: ctx.task.id },
            credentials,
          );
          ctx.logger.info(`Created repository ${name} for ${owner}`);
          return {
            name: created.name,
            fullName: created.fullName,
            cloneUrl: created.cloneUrl,
          };
        },
      });

      // Gitea's URLs, which Backstage's Gitea integration reads: the same
      // src/branch/<ref>/<path> for folders and files.
      const repositoryUrl = `${publicBaseUrl}/${repository.fullName}`;
      const treeUrl = `${repositoryUrl}/src/branch/${DEFAULT_BRANCH}`;
      const commitHash = await ctx.checkpoint({
        key: `paved.repo.push.${name}`,
        fn: async () => {
          const dir = sourceDir;
          // The workspace's own repository: `git init` first, so nothing below
          // can reach a repository the workspace happens to sit inside.
          await git(dir, [
            'init',
            '--quiet',
            `--initial-branch=${DEFAULT_BRANCH}`,
          ]);
          // A retry after a failed push finds the commit already made: push
          // that one instead of committing the workspace a second time.
          const committed = await git(dir, [
            'rev-parse',
            '--verify',
            '--quiet',
            'HEAD',
          ]).catch(() => undefined);
          if (!committed) {
            await describeLocation(dir, repositoryUrl, treeUrl);
            await git(dir, ['add', '--all']);
            await git(
              dir,
              [
                'commit',
                '--quiet',
                '--allow-empty',
                '-m',
                ctx.input.gitCommitMessage ??
                  'Initial commit from a Paved golden path',
              ],
              {
                env: {
                  GIT_AUTHOR_NAME: author.name,
                  GIT_AUTHOR_EMAIL: author.email,
                  GIT_COMMITTER_NAME: author.name,
                  GIT_COMMITTER_EMAIL: author.email,
                },
              },
            );
          }
          const token = await client.gitToken(credentials);
          await git(
            dir,
            [
              'push',
              '--quiet',
              await client.internalCloneUrl(repository.fullName),
              `HEAD:refs/heads/${DEFAULT_BRANCH}`,
            ],
            {
              secretConfig: {
                'http.extraHeader': `Authorization: Bearer ${token}`,
              },
            },
          );
          const sha = await git(dir, ['rev-parse', 'HEAD']);
          ctx.logger.info(`Pushed ${sha} to ${repository.cloneUrl}`);
          return sha;
        },
      });

      ctx.output('remoteUrl', repository.cloneUrl);
      ctx.output('repoContentsUrl', `${treeUrl}/`);
      ctx.output('catalogInfoUrl', `${treeUrl}/catalog-info.yaml`);
      ctx.output('commitHash', commitHash);
      ctx.output(
        'pipelinesUrl',
        `/repositories/${repository.fullName}/pipelines`,
      );
    },
  });
}

/**
 * Records in catalog-info.yaml where the component's code and pipeline
 * live: its repository's page in the portal and its pipeline file.
 */
async function describeLocation(
  dir: string,
  repositoryUrl: string,
  treeUrl: string,
) {
  await updateComponent(dir, component => {
    const annotations = ['metadata', 'annotations'];
    component.setIn(
      [...annotations, 'backstage.io/source-location'],
      `url:${treeUrl}/`,
    );
    const links = [{ url: repositoryUrl, title: 'Repository', icon: 'git' }];
    const pipeline = component.getIn([
      ...annotations,
      PIPELINE_PATH_ANNOTATION,
    ]);
    if (typeof pipeline === 'string') {
      links.push({
        url: `${treeUrl}/${pipeline}`,
        title: 'CI/CD pipeline',
        icon: 'dashboard',
      });
    }
    const current = component.getIn(['metadata', 'links']) as
      | yaml.YAMLSeq
      | undefined;
    const existing = (current?.toJSON() ?? []) as { url: string }[];
    const known = new Set(existing.map(link => link.url));
    component.setIn(
      ['metadata', 'links'],
      [...existing, ...links.filter(link => !known.has(link.url))],
    );
  });
}
