import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ShutdownGuard } from './shutdownGuard';

describe('ShutdownGuard', () => {
  const failing = createTemplateAction({
    id: 'paved:test:fail',
    async handler() {
      throw new Error('503 from the git host');
    },
  });

  it('lets a step fail while the backend runs, and holds it once the shutdown began', async () => {
    let beforeShutdown: (() => void | Promise<void>) | undefined;
    const rootLifecycle = mockServices.rootLifecycle.mock({
      addBeforeShutdownHook: hook => {
        beforeShutdown = hook;
      },
    });
    const guard = new ShutdownGuard(rootLifecycle);
    const action = guard.guard(failing);
    const ctx = createMockActionContext();
    const warn = jest.spyOn(ctx.logger, 'warn');
    await expect(action.handler(ctx)).rejects.toThrow('503 from the git host');

    await beforeShutdown!();
    expect(guard.shuttingDown).toBe(true);
    const held = await Promise.race([
      action.handler(ctx).then(
        () => 'resolved',
        () => 'rejected',
      ),
      // Long enough for a rejection to surface; the hold never settles.
      new Promise(resolve => setTimeout(() => resolve('held'), 200)),
    ]);
    expect(held).toBe('held');
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('resumes after the restart'),
    );
  });
});
