import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlanCollector } from './progress';
import { TerraformCli } from './TerraformCli';
import { TerraformSteps } from './TerraformSteps';

jest.setTimeout(120_000);

/**
 * The real Terraform behind a wrapper that fails its first `failures` calls
 * of one command as PostgreSQL does when it is out of connections, the way
 * the pg state backend reported it under load.
 */
function flakyTerraform(dir: string, command: string, failures: number) {
  const wrapper = path.join(dir, 'terraform-flaky');
  const counter = path.join(dir, 'failures-left');
  fs.writeFileSync(counter, String(failures));
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh
left=$(cat "${counter}")
if [ "$1" = "${command}" ] && [ "$left" -gt 0 ]; then
  echo $((left - 1)) > "${counter}"
  echo 'Error: error acquiring the state lock: pq: sorry, too many clients already' >&2
  exit 1
fi
exec terraform "$@"
`,
    { mode: 0o755 },
  );
  return wrapper;
}

describe('TerraformSteps', () => {
  let dir: string;
  const lines: string[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-tf-steps-'));
    lines.length = 0;
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: {
          backend: { local: { path: path.join(dir, 'state.tfstate') } },
        },
        resource: { terraform_data: { marker: { input: 'x' } } },
      }),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const stepsWith = (binary: string, attempts = 3) => {
    const plan = new PlanCollector();
    const cli = new TerraformCli({
      binary,
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        TF_CLI_CONFIG_FILE: path.join(dir, 'none.tfrc'),
      },
      onMessage: m => plan.add(m),
    });
    return new TerraformSteps({
      cli,
      plan,
      lockTimeoutSeconds: 5,
      retry: { attempts, firstDelayMs: 10 },
      log: (level, message) => lines.push(`${level}: ${message}`),
    });
  };

  it('tries a step again after "too many clients", and then succeeds', async () => {
    const steps = stepsWith(flakyTerraform(dir, 'init', 2));
    await steps.init();
    const applied = await steps.planAndApply(false);
    expect(applied.hasChanges).toBe(true);
    expect(applied.summary?.add).toBe(1);
    expect(lines.filter(l => l.startsWith('warn:'))).toEqual([
      expect.stringMatching(
        /terraform init hit a database that is out of connections or restarting; trying again in 0s \(attempt 2 of 3\)/,
      ),
      expect.stringMatching(/\(attempt 3 of 3\)/),
    ]);
    expect(fs.existsSync(path.join(dir, 'state.tfstate'))).toBe(true);
  });

  it('re-plans before applying again when an apply fails so', async () => {
    const steps = stepsWith(flakyTerraform(dir, 'apply', 1));
    await steps.init();
    const applied = await steps.planAndApply(false);
    expect(applied.summary?.add).toBe(1);
    expect(lines.join('\n')).toMatch(/terraform apply hit a database/);
  });

  it('gives up with the error when it does not go away, and never retries other errors', async () => {
    const steps = stepsWith(flakyTerraform(dir, 'init', 5), 2);
    await expect(steps.init()).rejects.toThrow(/too many clients already/);
    expect(lines.filter(l => l.startsWith('warn:'))).toHaveLength(1);

    lines.length = 0;
    fs.writeFileSync(path.join(dir, 'main.tf.json'), '{ not json');
    await expect(stepsWith('terraform').init()).rejects.toThrow(
      /terraform init failed/,
    );
    expect(lines.filter(l => l.startsWith('warn:'))).toEqual([]);
  });
});
