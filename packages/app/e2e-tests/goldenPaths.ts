import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { APIRequestContext, expect } from '@playwright/test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'yaml';

const execFileAsync = promisify(execFile);

/** Runs a command in a folder, with its output in the error when it fails. */
export async function run(
  cwd: string,
  command: string,
  args: string[],
  env = {},
) {
  try {
    return await execFileAsync(command, args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 180_000,
    });
  } catch (error: any) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}\n${
        error.stderr ?? ''
      }`,
    );
  }
}

/** A guest session's token, for calling the portal's APIs. */
export async function guestToken(request: APIRequestContext) {
  const res = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token as string;
}

/** Runs a template through the scaffolder API and waits for it to finish. */
export async function runTemplate(
  request: APIRequestContext,
  token: string,
  templateName: string,
  values: Record<string, unknown>,
) {
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post('/api/scaffolder/v2/tasks', {
    headers,
    data: { templateRef: `template:default/${templateName}`, values },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const started = Date.now();
  for (;;) {
    const task = await (
      await request.get(`/api/scaffolder/v2/tasks/${id}`, { headers })
    ).json();
    if (task.status === 'completed' || task.status === 'failed') {
      const events = await (
        await request.get(`/api/scaffolder/v2/tasks/${id}/events`, { headers })
      ).json();
      const log = events
        .filter((e: any) => e.type === 'log')
        .map((e: any) => e.body.message)
        .join('\n');
      const steps = events
        .filter((e: any) => e.type === 'log' && e.body.status && e.body.stepId)
        .map((e: any) => ({
          step: e.body.stepId,
          status: e.body.status,
          at: e.createdAt,
        }));
      return {
        id,
        status: task.status as string,
        log,
        steps,
        seconds: (Date.now() - started) / 1000,
      };
    }
    expect(Date.now() - started, `task ${id} still running`).toBeLessThan(
      120_000,
    );
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/**
 * Clones a hosted repository with a git token the portal issues. The token
 * travels in a header from the environment, never in the URL (which git
 * would keep in .git/config); clones stay under test-results/ for a look
 * after a failure, and scripts/e2e.sh clears them at the next run.
 */
export async function cloneHosted(
  request: APIRequestContext,
  token: string,
  /** `owner/name`, e.g. `payments/shop`. */
  fullName: string,
) {
  const res = await request.post('/api/git-host/tokens', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  const gitToken = (await res.json()).token as string;
  const gitEnv = {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
      `paved:${gitToken}`,
    ).toString('base64')}`,
  };
  const parent = path.resolve(__dirname, '../../../test-results/e2e-clones');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(
    path.join(parent, `${fullName.replace('/', '-')}-`),
  );
  const url = `${new URL(res.url()).origin}/api/git-host/${fullName}.git`;
  await run(dir, 'git', ['clone', '--quiet', url, 'repo'], gitEnv);
  return { dir: path.join(dir, 'repo'), url, gitEnv };
}

const schemaFiles: Record<string, string> = {
  'github-actions': 'github-workflow.json',
  'gitlab-ci': 'gitlab-ci.json',
};

/** Errors of a pipeline file against its CI system's kept JSON schema. */
export function pipelineSchemaErrors(ciSystem: string, file: string) {
  const schemaPath = path.resolve(
    __dirname,
    '../../../templates/pipelines/schemas',
    schemaFiles[ciSystem],
  );
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  return validate(yaml.parse(fs.readFileSync(file, 'utf8')))
    ? []
    : validate.errors;
}

/** Reads an entity from the catalog, waiting for it to appear. */
export async function catalogEntity(
  request: APIRequestContext,
  token: string,
  ref: string,
  until: (entity: any) => boolean = () => true,
) {
  const started = Date.now();
  for (;;) {
    const res = await request.get(`/api/catalog/entities/by-name/${ref}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.ok()) {
      const entity = await res.json();
      if (until(entity)) {
        return entity;
      }
    }
    expect(
      Date.now() - started,
      `waiting for ${ref} in the catalog`,
    ).toBeLessThan(30_000);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
