import { SSE_DONE } from './chunks.js';
import type { CompletionJob } from './exchange.js';
import { SSE_HEADERS, errorBody, sendHtml, sendJson } from './http.js';

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const LOGIN_PAGE_HTML =
  '<!DOCTYPE html><html><head><title>Sign in</title></head>' +
  '<body><h1>Sign in to continue</h1><form method="post"><input name="user"></form></body></html>';

/**
 * Answers the faults that never reach the engine: error statuses, a stall before headers, and
 * 200 answers in the wrong shape. Returns false when the fault (if any) is not one of them.
 */
export function answerImmediateFault(job: CompletionJob): boolean {
  const { res, timers } = job.exchange;
  const { options } = job;
  switch (job.fault) {
    case 'http429':
      sendJson(
        res,
        429,
        errorBody('Rate limit reached (simulated).', 'requests', null, 'rate_limit_exceeded'),
        { 'retry-after': String(options.retryAfterSeconds) },
      );
      return true;
    case 'http500':
      sendJson(res, 500, errorBody('Internal server error (simulated).', 'server_error'));
      return true;
    case 'http502':
      // What a reverse proxy in front of a crashed server answers: HTML, not JSON.
      sendHtml(res, 502, BAD_GATEWAY_HTML);
      return true;
    case 'http503':
      sendJson(res, 503, errorBody('The server is overloaded (simulated).', 'server_error'));
      return true;
    case 'stallHeaders':
      timers.after(options.stallMs, () => res.destroy());
      return true;
    case 'htmlAnswer':
      // A gateway's login page, as served when an auth proxy intercepts the call.
      sendHtml(res, 200, LOGIN_PAGE_HTML);
      return true;
    case 'emptyStream':
      res.writeHead(200, SSE_HEADERS);
      res.end(SSE_DONE);
      return true;
    default:
      return false;
  }
}
