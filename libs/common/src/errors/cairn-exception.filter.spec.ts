import type { ArgumentsHost } from '@nestjs/common';
import { CairnError } from './cairn-error';
import { CairnExceptionFilter } from './cairn-exception.filter';
import { rateLimited, unauthenticated } from '../auth/auth-errors';

function httpHost() {
  const res = { statusCode: 0, headers: {} as Record<string, unknown>, body: undefined as unknown, headersSent: false };
  const response = {
    get headersSent() {
      return res.headersSent;
    },
    setHeader: (k: string, v: unknown) => (res.headers[k.toLowerCase()] = v),
    status: (s: number) => ((res.statusCode = s), response),
    json: (b: unknown) => (res.body = b),
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, res };
}

describe('CairnExceptionFilter', () => {
  const filter = new CairnExceptionFilter();

  it('answers REST with the status of the code and a small JSON body', () => {
    const { host, res } = httpHost();
    filter.catch(new CairnError('FORBIDDEN', 'no'), host);
    expect(res.statusCode).toBe(403);
    expect(res.body).toEqual({ error: 'FORBIDDEN', message: 'no' });
  });

  it('adds a WWW-Authenticate challenge to 401 and Retry-After to 429', () => {
    const a = httpHost();
    filter.catch(unauthenticated(), a.host);
    expect(a.res.statusCode).toBe(401);
    expect(String(a.res.headers['www-authenticate'])).toContain('Basic');
    const b = httpHost();
    filter.catch(rateLimited(1500), b.host);
    expect(b.res.statusCode).toBe(429);
    expect(b.res.headers['retry-after']).toBe('2');
  });

  it('hands the error back unchanged in GraphQL, for the GraphQL error formatter', () => {
    const err = unauthenticated();
    expect(filter.catch(err, { getType: () => 'graphql' } as unknown as ArgumentsHost)).toBe(err);
  });
});
