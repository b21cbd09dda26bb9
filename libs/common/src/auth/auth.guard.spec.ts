import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { scopesForRole, type Viewer } from './viewer';
import { AuthGuard } from './auth.guard';
import type { Authenticator } from './authenticator';
import { OperatorOnly, Public, RequireRoles, RequireScopes } from './auth-metadata';
import { unauthenticated } from './auth-errors';

@RequireScopes('intel:read')
class Target {
  @Public()
  open(): void {}
  plain(): void {}
  @RequireScopes('intel:write')
  write(): void {}
  @RequireRoles('admin')
  adminOnly(): void {}
  @OperatorOnly()
  staff(): void {}
}

const user = (role: 'reader' | 'analyst' | 'admin', operator = false): Viewer => ({
  kind: 'user',
  tenantId: 't',
  userId: 'u',
  role,
  operator,
  scopes: new Set(scopesForRole(role)),
});
const key: Viewer = { kind: 'apikey', tenantId: 't', apiKeyId: 'k', operator: false, scopes: new Set(['intel:read', 'intel:write']) };

function httpContext(handler: keyof Target, req: Record<string, unknown>): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Target.prototype[handler],
    getClass: () => Target,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

async function outcome(viewer: Viewer | null, handler: keyof Target): Promise<string> {
  const auth: Authenticator = {
    authenticate: async () => (viewer ? viewer : Promise.reject(unauthenticated())),
    stillValid: async () => true,
    recheck: async (vs) => vs.map(() => 'valid' as const),
  };
  const req: Record<string, unknown> = { headers: { authorization: 'Bearer x' } };
  try {
    await new AuthGuard(new Reflector(), auth).canActivate(httpContext(handler, req));
    if (handler !== 'open') expect(req.viewer).toBe(viewer);
    return 'ok';
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('AuthGuard', () => {
  it('lets @Public() operations through without credentials', async () => {
    expect(await outcome(null, 'open')).toBe('ok');
    expect(await outcome(null, 'plain')).toBe('UNAUTHENTICATED');
  });

  it('adds class and method scopes together', async () => {
    expect(await outcome(user('reader'), 'plain')).toBe('ok');
    expect(await outcome(user('reader'), 'write')).toBe('FORBIDDEN');
    expect(await outcome(user('analyst'), 'write')).toBe('ok');
    expect(await outcome({ ...key, scopes: new Set(['intel:write']) }, 'write')).toBe('FORBIDDEN');
    expect(await outcome(key, 'write')).toBe('ok');
  });

  it('checks roles, which API keys never have', async () => {
    expect(await outcome(user('analyst'), 'adminOnly')).toBe('FORBIDDEN');
    expect(await outcome(user('admin'), 'adminOnly')).toBe('ok');
    expect(await outcome(key, 'adminOnly')).toBe('FORBIDDEN');
  });

  it('keeps @OperatorOnly() for exchange staff', async () => {
    expect(await outcome(user('admin'), 'staff')).toBe('FORBIDDEN');
    expect(await outcome(user('reader', true), 'staff')).toBe('ok');
  });
});
