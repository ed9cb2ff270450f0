import type { Server } from 'node:http';
import { afterEach } from 'vitest';

/**
 * Loopback servers a test file starts: push them to the returned list and they are closed,
 * connections included, after each test.
 */
export function trackServers(): Server[] {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  });
  return servers;
}
