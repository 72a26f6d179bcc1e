import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/** Longest `name` that GET /hello accepts. */
export const MAX_NAME_LENGTH = 100;

/**
 * Builds the HTTP application without starting it, so that tests can listen
 * on a random port and `src/index.ts` can listen on the configured one.
 */
export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');

  // Liveness and readiness probe.
  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });

  // Example resource: replace it with the service's own endpoints and keep
  // openapi.yaml in step.
  app.get('/hello', (req: Request, res: Response) => {
    const name = req.query.name ?? 'world';
    if (typeof name !== 'string') {
      res.status(400).json({ error: 'name must be given at most once, as a plain string' });
      return;
    }
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      res.status(400).json({ error: `name must be 1 to ${MAX_NAME_LENGTH} characters long` });
      return;
    }
    res.json({ message: `Hello, ${name}` });
  });

  // Anything else is a JSON 404.
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: `Not found: ${req.method} ${req.path}` });
  });

  // Unexpected errors are logged and answered with a JSON 500. Express
  // recognises an error handler by its four parameters, so keep `_next`.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error(err);
    res.status(500).json({ error: 'Internal server error' });
  });

  return app;
}
