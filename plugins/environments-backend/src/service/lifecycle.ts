import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { EnvironmentsConfig } from '../config';
import { GateStore } from '../database/GateStore';
import { ApprovalService } from '../guardrails/ApprovalService';
import { AuditTrail } from '../guardrails/AuditTrail';
import { EnvironmentNotifier } from '../guardrails/EnvironmentNotifier';
import { EnvironmentService, TTL_SWEEPER } from './EnvironmentService';

export { TTL_SWEEPER };
/** Who the drift check acts as. */
export const DRIFT_CHECKER = 'system:drift-checker';
/** Who ends plans nobody approved in time. */
export const APPROVAL_EXPIRY = 'system:approval-expiry';

const DAY_MS = 86_400_000;

/**
 * The scheduled jobs: destroy expired environments, and check ready ones for
 * drift. Global tasks: one replica runs each at a time.
 */
export async function scheduleLifecycle(options: {
  scheduler: SchedulerService;
  auditor: AuditorService;
  logger: LoggerService;
  service: EnvironmentService;
  config: EnvironmentsConfig;
  approvals: ApprovalService;
  gates: GateStore;
  trail: AuditTrail;
  notifier: EnvironmentNotifier;
  onRunQueued: () => void;
}) {
  const { scheduler, auditor, logger, service, config } = options;
  const { approvals, gates, trail, notifier } = options;
  await scheduler.scheduleTask({
    id: 'environments-ttl-sweep',
    frequency: config.sweepFrequency,
    timeout: { minutes: 5 },
    scope: 'global',
    fn: async () => {
      const queued = await service.sweepExpired(TTL_SWEEPER);
      for (const { environment, run } of queued) {
        const audit = await auditor.createEvent({
          eventId: 'environment-expire',
          severityLevel: 'medium',
          meta: {
            actor: TTL_SWEEPER,
            environmentId: environment.id,
            service: environment.service,
            environment: environment.name,
            expiresAt: environment.expires_at,
            runId: run.id,
          },
        });
        await audit.success();
        await trail.record({
          actor: TTL_SWEEPER,
          action: 'environment-expire',
          outcome: 'succeeded',
          subject: environment,
          runId: run.id,
          detail: `expired at ${environment.expires_at}; destroy queued`,
        });
      }
      // Plans nobody approved within the window: their files go.
      for (const run of await approvals.expire()) {
        const env = await service.getRow(run.environment_id);
        await (
          await auditor.createEvent({
            eventId: 'environment-run-expire',
            severityLevel: 'low',
            meta: {
              actor: APPROVAL_EXPIRY,
              environmentId: env.id,
              runId: run.id,
              expiresAt: run.approval_expires_at,
            },
          })
        ).success();
        await trail.record({
          actor: APPROVAL_EXPIRY,
          action: 'run-expire',
          outcome: 'succeeded',
          subject: env,
          runId: run.id,
          detail: `not approved before ${run.approval_expires_at}`,
        });
        await notifier.decided(
          run,
          env,
          'expired',
          `Nobody approved it before ${run.approval_expires_at}; re-plan to ask again.`,
        );
      }
      // Owners hear a day ahead that an environment goes.
      const now = new Date();
      for (const env of await gates.findExpiringUnnotified(
        now.toISOString(),
        new Date(now.getTime() + DAY_MS).toISOString(),
      )) {
        await notifier.expiring(env);
        await gates.markExpiryNotified(env.id, env.expires_at);
      }
      if (queued.length) {
        logger.info(
          `Queued destroy runs for ${queued.length} expired environment(s)`,
        );
        options.onRunQueued();
      }
    },
  });
  await scheduler.scheduleTask({
    id: 'environments-drift-check',
    frequency: config.driftFrequency,
    timeout: { minutes: 30 },
    scope: 'global',
    fn: async () => {
      const count = await service.checkDrift(DRIFT_CHECKER);
      if (count) {
        logger.info(`Queued drift checks for ${count} environment(s)`);
        options.onRunQueued();
      }
    },
  });
}
