/**
 * A process that hosts simulators: it prints the URL of a control server on 127.0.0.1, which
 * starts one (POST /simulators, body: its options; answers its URL) and closes one (DELETE
 * /simulators?url=…). SIGTERM closes them all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

const running = new Map<string, Simulator>();

const control = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const answer = async (): Promise<unknown> => {
      const url = new URL(request.url ?? '/', 'http://control');
      if (request.method === 'POST') {
        const simulator = await startSimulator(JSON.parse(Buffer.concat(chunks).toString()));
        running.set(simulator.url, simulator);
        return { url: simulator.url };
      }
      const simulator = running.get(url.searchParams.get('url') ?? '');
      running.delete(simulator?.url ?? '');
      await simulator?.close();
      return {};
    };
    answer().then(
      (body) => response.writeHead(200).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
});
control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(control.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  void Promise.all([...running.values()].map((simulator) => simulator.close())).then(() =>
    process.exit(0),
  );
});
