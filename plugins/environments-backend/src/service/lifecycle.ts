import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { EnvironmentsConfig } from '../config';
import { EnvironmentService, TTL_SWEEPER } from './EnvironmentService';

export { TTL_SWEEPER };
/** Who the drift check acts as. */
export const DRIFT_CHECKER = 'system:drift-checker';

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
  onRunQueued: () => void;
}) {
  const { scheduler, auditor, logger, service, config } = options;
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
