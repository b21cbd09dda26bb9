import type { NextFunction, Request, Response } from 'express';
import { isUnstorableText } from '@cairn/stix';

/** Where in `variables` a string holds NUL or an unpaired surrogate (text PostgreSQL cannot store), if anywhere. */
export function findUnstorable(root: unknown, maxNodes = 2_000_000): string | undefined {
  const stack: Array<{ v: unknown; path: string }> = [{ v: root, path: 'variables' }];
  for (let seen = 0; stack.length > 0 && seen < maxNodes; seen++) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnstorableText(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (isUnstorableText(k)) return path;
        stack.push({ v: child, path: `${path}.${k.slice(0, 64)}` });
      }
    }
  }
  return undefined;
}

function refuse(res: Response, message: string, extra: Record<string, unknown> = {}): void {
  res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', ...extra } }] });
}

/**
 * Checks a GraphQL-over-HTTP request before Apollo parses it: the document's length, and no
 * variable text that the database could not store (which would otherwise fail deep inside a query).
 */
export function graphqlRequestGuard(maxQueryLength: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body as { query?: unknown; variables?: unknown } | undefined;
    if (req.method === 'POST' && body && typeof body === 'object' && !Array.isArray(body)) {
      if (typeof body.query === 'string' && body.query.length > maxQueryLength) {
        return refuse(res, `The GraphQL document is ${body.query.length} characters long; the limit is ${maxQueryLength}`, { field: 'query' });
      }
      const at = findUnstorable(body.variables);
      if (at) return refuse(res, `${at} contains a NUL character or an unpaired surrogate`, { field: at });
    }
    next();
  };
}
