import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/**
 * Keep-alive as curl does it. A server may close a kept-alive connection right after a response
 * while advertising keep-alive (llama.cpp's server answers `Keep-Alive: timeout=5, max=100` and
 * closes after every stream): the next request written to that socket fails at once, before any
 * response byte, with "other side closed", ECONNRESET or EPIPE. That is the client's stale
 * connection, not an endpoint error: the request is retried once on a fresh connection and
 * counted as a reconnect. When the server closes after most responses, reuse stops for the
 * rest of the run. undici itself honours `Connection: close` and `Keep-Alive: timeout=N`.
 */

/** Responses seen before the reuse decision is trusted. */
const MIN_RESPONSES = 8;
/** Share of responses after which the server closed (or said it would) that stops reuse. */
const STOP_REUSE_SHARE = 0.5;

/** Transport errors that mean "the server had already closed this idle connection". */
const STALE_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

import type { ConnectionFacts } from '../domain/request.js';

interface SocketErrorLike {
  code?: unknown;
  cause?: unknown;
  socket?: { bytesRead?: unknown };
}

export class ConnectionReuse {
  /** Socket errors of connections that had already carried a response (see `connector`). */
  readonly #reusedSocketErrors = new WeakSet<object>();
  #responses = 0;
  #closingHints = 0;
  /** Connections the server closed (FIN or reset), whether or not a request noticed. */
  #serverCloses = 0;
  #reconnects = 0;
  #reuseStopped: string | undefined;

  /**
   * undici's connector, plus a note on each socket error of whether the socket had already read
   * a response (only those are stale reuse: a reset of a fresh connection is a real failure),
   * and a count of the connections the server closed. `bytesRead` counts response bytes only,
   * for TLS too (decrypted application data; 0 after the handshake).
   */
  readonly connector: buildConnector.connector = (() => {
    const connect = buildConnector({});
    return (options, callback) =>
      connect(options, (error, socket) => {
        if (socket) {
          const tcp = socket as Socket;
          let closedByServer = false;
          const serverClosed = () => {
            if (closedByServer) return;
            closedByServer = true;
            this.#serverCloses++;
            this.#review();
          };
          // A FIN, or a reset of a connection that had carried a response: either way the
          // server closed it (undici may see one, the other, or both).
          tcp.once('end', serverClosed);
          tcp.on('error', (socketError: Error) => {
            if (tcp.bytesRead === 0) return;
            this.#reusedSocketErrors.add(socketError);
            serverClosed();
          });
        }
        (callback as (...args: unknown[]) => void)(error, socket);
      });
  })();

  get reusing(): boolean {
    return this.#reuseStopped === undefined;
  }

  get facts(): ConnectionFacts {
    return {
      reconnects: this.#reconnects,
      ...(this.#reuseStopped ? { reuseStopped: this.#reuseStopped } : {}),
    };
  }

  /** Whether a failure before any response byte came from a stale reused connection. */
  isStale(error: unknown): boolean {
    let current: unknown = error;
    for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
      const candidate = current as SocketErrorLike;
      if (typeof candidate.code === 'string' && STALE_CODES.has(candidate.code)) {
        const bytesRead = candidate.socket?.bytesRead;
        if (typeof bytesRead === 'number') return bytesRead > 0;
        return this.#reusedSocketErrors.has(candidate);
      }
      current = candidate.cause;
    }
    return false;
  }

  /** A response's headers: `Connection: close` or `Keep-Alive: max=0` say the server closes. */
  noteResponse(headers: Record<string, string | string[] | undefined>): void {
    this.#responses++;
    const connection = String(headers.connection ?? '').toLowerCase();
    const keepAlive = String(headers['keep-alive'] ?? '').toLowerCase();
    if (connection.includes('close') || /(?:^|[\s,])max\s*=\s*0\b/.test(keepAlive)) {
      this.#closingHints++;
    }
    this.#review();
  }

  noteReconnect(): void {
    this.#reconnects++;
    this.#review();
  }

  #review(): void {
    if (this.#reuseStopped !== undefined || this.#responses < MIN_RESPONSES) return;
    // Each count is a lower bound on the responses the server closed after; one close can show
    // in all three (a Connection: close answer, its FIN, a request that found it closed).
    const closed = Math.max(this.#serverCloses, this.#reconnects, this.#closingHints);
    if (closed < STOP_REUSE_SHARE * this.#responses) return;
    this.#reuseStopped =
      `the server closed the connection after ${closed} of ${this.#responses} responses ` +
      '(stale keep-alive or Connection: close): every later request used a fresh connection';
  }
}
