import os from 'node:os';
import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** gitHost.pipelines, with its defaults. */
export interface PipelinesConfig {
  /** Whether this backend runs pipelines (gitHost.pipelines.runner). */
  enabled: boolean;
  concurrency: number;
  jobTimeoutMs: number;
  killGraceMs: number;
  maxLogBytes: number;
  /** Where each pipeline gets its folder (removed afterwards). */
  workDir: string;
  /** npm's cache, shared by pipelines so `npm ci` does not download twice. */
  npmCache: string;
  /** PATH of jobs: the backend's Node first, then the system's folders. */
  path: string;
  pollIntervalMs: number;
  /** Variables of the backend's own environment that jobs get too. */
  passEnvironment: string[];
}

/**
 * What jobs take from the backend's environment by default: how this
 * machine trusts TLS certificates and reaches the network (a company CA, a
 * proxy), so `npm ci` and `pip` work as they do for the portal. Nothing else
 * of the portal's environment reaches a job.
 */
const DEFAULT_PASS_ENVIRONMENT = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'GIT_SSL_CAINFO',
  'REQUESTS_CA_BUNDLE',
  'PIP_CERT',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

const duration = (config: Config | undefined, key: string, fallback: number) =>
  config?.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;

export function readPipelinesConfig(config: Config): PipelinesConfig {
  const c = config.getOptionalConfig('gitHost.pipelines');
  const concurrency = c?.getOptionalNumber('concurrency') ?? 2;
  const maxLogBytes = c?.getOptionalNumber('maxLogBytes') ?? 2 * 1024 * 1024;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(
      'gitHost.pipelines.concurrency must be a whole number of at least 1',
    );
  }
  if (!Number.isInteger(maxLogBytes) || maxLogBytes < 1024) {
    throw new Error(
      'gitHost.pipelines.maxLogBytes must be a whole number of at least 1024',
    );
  }
  const workDir = path.resolve(
    c?.getOptionalString('workDir') ??
      path.join(os.tmpdir(), 'paved-pipelines'),
  );
  return {
    enabled: c?.getOptionalBoolean('runner') ?? false,
    concurrency,
    jobTimeoutMs: duration(c, 'jobTimeout', 30 * 60_000),
    killGraceMs: duration(c, 'killGracePeriod', 10_000),
    maxLogBytes,
    workDir,
    npmCache: path.resolve(
      c?.getOptionalString('npmCache') ??
        path.join(workDir, '..', 'paved-pipelines-npm-cache'),
    ),
    path: [
      path.dirname(process.execPath),
      ...(c?.getOptionalStringArray('path') ?? [
        '/usr/local/sbin',
        '/usr/local/bin',
        '/usr/sbin',
        '/usr/bin',
        '/sbin',
        '/bin',
      ]),
    ].join(':'),
    pollIntervalMs: c?.getOptionalNumber('pollIntervalMs') ?? 2_000,
    passEnvironment: (
      c?.getOptionalStringArray('passEnvironment') ?? DEFAULT_PASS_ENVIRONMENT
    ).filter(name => !/^PAVED_|SECRET|TOKEN|PASSWORD|KEY$/i.test(name)),
  };
}
