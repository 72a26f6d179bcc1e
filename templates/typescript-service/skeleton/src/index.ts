import { createApp } from './app';

const SERVICE_NAME = '${{ values.name }}';
const port = Number(process.env.PORT ?? 8080);

const server = createApp().listen(port, () => {
  console.log(`${SERVICE_NAME} listening on http://localhost:${port}`);
});

// Stop accepting connections and exit once in-flight requests are done, so
// that a container orchestrator can stop the service cleanly.
function shutdown(signal: NodeJS.Signals): void {
  console.log(`${signal} received, closing the server`);
  server.close((err) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.exit(0);
  });
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
