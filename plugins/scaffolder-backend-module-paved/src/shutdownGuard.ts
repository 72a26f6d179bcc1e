import { RootLifecycleService } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * Keeps the portal's own shutdown from failing golden paths. Once the
 * backend is stopping, the git host refuses pushes and the HTTP server
 * closes, so a step in flight would fail and take its task with it. A Paved
 * step that fails after the shutdown began instead waits for the process to
 * end: its task stays processing, and the scaffolder resumes it after the
 * restart (scaffolder.taskRecovery), the step's checkpoints kept.
 */
export class ShutdownGuard {
  private stopping = false;

  constructor(rootLifecycle: RootLifecycleService) {
    // Before any plugin begins to stop, so no step sees its refusal first.
    rootLifecycle.addBeforeShutdownHook(() => {
      this.stopping = true;
    });
  }

  get shuttingDown() {
    return this.stopping;
  }

  /** The action, its failures held back while the backend stops. */
  guard<T extends TemplateAction<any, any, any>>(action: T): T {
    return {
      ...action,
      handler: async ctx => {
        try {
          await action.handler(ctx);
        } catch (error) {
          if (!this.stopping) throw error;
          ctx.logger.warn(
            `The portal is shutting down; "${action.id}" stops here and resumes after the restart (${error})`,
          );
          // Never settles: the process ends first.
          await new Promise(() => {});
        }
      },
    };
  }
}
