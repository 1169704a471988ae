import { isPtgwError } from '../core/errors.js';
import type { DeltaSessions } from './DeltaSessions.js';
import type { Fault, FaultList } from './FaultList.js';
import { badRequest, notFound, ProblemError, type SimResponse } from './ProblemError.js';
import type { RequestLog } from './RequestLog.js';
import { readJson } from './requestBody.js';
import type { TokenIssuer } from './TokenIssuer.js';

export interface SimControls {
  faults: FaultList;
  tokens: TokenIssuer;
  deltas: DeltaSessions;
  log: RequestLog;
}

/**
 * `/__sim/…`: the programmatic controls over HTTP, for tests that run the gateway as a child
 * process. Unauthenticated and never hit by faults.
 */
export function routeSimControl(controls: SimControls, method: string, path: string, body: string): SimResponse {
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /__sim/faults':
      try {
        // add() validates whatever arrived against the fault schema.
        controls.faults.add(readJson(body) as Fault);
      } catch (err) {
        if (isPtgwError(err)) throw badRequest(err.field ?? '$', err.message);
        throw err;
      }
      return { status: 201, body: { added: true } };
    case 'DELETE /__sim/faults':
      controls.faults.clear();
      return { status: 204 };
    case 'POST /__sim/expire-tokens':
      controls.tokens.expireAll();
      return { status: 204 };
    case 'POST /__sim/expire-deltas':
      controls.deltas.expireAll();
      return { status: 204 };
    case 'GET /__sim/requests':
      return { status: 200, body: { value: controls.log.all() } };
  }
  if (['/__sim/faults', '/__sim/expire-tokens', '/__sim/expire-deltas', '/__sim/requests'].includes(path)) {
    throw new ProblemError(405, `${method} is not supported on ${path}.`);
  }
  throw notFound(`No simulator control at ${path}.`);
}
