import type { NextFunction, Request, Response } from 'express';
import { checkOperationInput } from './door-rules';

/** GET carries the variables as JSON text; what is not JSON is left to Apollo's own 400. */
function getVariables(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Checks a GraphQL-over-HTTP request (POST body or GET query string) before Apollo parses it, with
 * the same checkOperationInput the WebSocket door runs on every operation.
 */
export function graphqlRequestGuard(maxQueryLength: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    let input: { query?: unknown; variables?: unknown } | undefined;
    const body = req.body as { query?: unknown; variables?: unknown } | undefined;
    if (req.method === 'POST' && body && typeof body === 'object' && !Array.isArray(body)) input = body;
    else if (req.method === 'GET') input = { query: req.query.query, variables: getVariables(req.query.variables) };
    const refused = input && checkOperationInput(input.query, input.variables, maxQueryLength);
    if (refused) {
      res.status(400).json({ errors: [{ message: refused.message, extensions: { code: refused.code, ...(refused.details ?? {}) } }] });
      return;
    }
    next();
  };
}
