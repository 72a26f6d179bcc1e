import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Backstage's HTTP server, stopped in bounded time. On shutdown outside
 * development, Backstage closes idle connections and waits for the others:
 * requests in flight, but also long polls (the events bus) and streams
 * (signals, live logs) that never end by themselves, so SIGTERM could wait
 * for minutes. Here they get `backend.lifecycle.connectionGracePeriod`
 * (default 5 s) to finish, then are cut.
 */
export const rootHttpRouter = rootHttpRouterServiceFactory({
  configure({ server, lifecycle, config, logger, applyDefaults }) {
    applyDefaults();
    const key = 'backend.lifecycle.connectionGracePeriod';
    const graceMs = config.has(key)
      ? durationToMilliseconds(readDurationFromConfig(config, { key }))
      : 5_000;
    lifecycle.addShutdownHook(
      () =>
        new Promise<void>(resolve => {
          const timer = setTimeout(() => {
            logger.info(
              `Closing the connections still open ${graceMs} ms after shutdown began`,
            );
            server.closeAllConnections();
            resolve();
          }, graceMs);
          server.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    );
  },
});
