import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ProxyError } from './errors.js';
import { formatEndpoint } from './log.js';
import { EXPOSITION_CONTENT_TYPE } from './metrics.js';
import type { Endpoint } from './options.js';

/** What the metrics endpoint serves, read at each request. */
export interface MetricsSource {
  /** The exposition text of every metric. */
  expose(): string;
  /** Undefined while the proxy takes sessions; else why not (`draining`), answered with 503. */
  unhealthy(): string | undefined;
}

/**
 * Scrapers and health checks are few and ask for a few hundred bytes: a handful of connections
 * and short timeouts bound what a stray client can hold (a port open to a network is probed).
 */
const MAX_CONNECTIONS = 32;
const REQUEST_TIMEOUT = 10_000;

/**
 * A tiny HTTP server (node:http, no framework) for Prometheus and load-balancer health checks:
 * `GET /metrics` answers the text exposition format, `GET /healthz` `200 ok` (or `503 draining`
 * once the proxy stops taking sessions, so that a balancer moves new clients elsewhere).
 */
export class MetricsServer {
  readonly #server: Server;
  readonly #source: MetricsSource;

  constructor(source: MetricsSource) {
    this.#source = source;
    this.#server = createServer((request, response) => this.#answer(request, response));
    this.#server.maxConnections = MAX_CONNECTIONS;
    this.#server.requestTimeout = REQUEST_TIMEOUT;
    this.#server.headersTimeout = REQUEST_TIMEOUT;
    this.#server.keepAliveTimeout = 5_000;
  }

  listen(endpoint: Endpoint): Promise<Endpoint> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new ProxyError(
            'ERR_CONNECT_FAILED',
            `cannot listen for metrics on ${formatEndpoint(endpoint.host, endpoint.port)}: ${error.code ?? error.message}`,
          ),
        );
      };
      this.#server.once('error', onError);
      this.#server.listen({ host: endpoint.host, port: endpoint.port }, () => {
        this.#server.off('error', onError);
        // Errors after listening (EMFILE on accept) must not end the process.
        this.#server.on('error', () => {});
        resolve(this.address()!);
      });
    });
  }

  address(): Endpoint | undefined {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') return undefined;
    return { host: address.address, port: address.port };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path !== '/metrics' && path !== '/healthz') {
      send(
        response,
        request,
        404,
        'text/plain; charset=utf-8',
        'not found: try /metrics or /healthz\n',
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, request, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      send(response, request, 200, EXPOSITION_CONTENT_TYPE, this.#source.expose());
      return;
    }
    const why = this.#source.unhealthy();
    send(response, request, why ? 503 : 200, 'text/plain; charset=utf-8', `${why ?? 'ok'}\n`);
  }
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  status: number,
  type: string,
  body: string,
): void {
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}
