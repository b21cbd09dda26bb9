import { JwtService } from '@nestjs/jwt';
import { AccessTokenService } from './access-token.service';
import type { AuthConfig } from './auth.config';

const config: AuthConfig = {
  jwtSecret: 'spec-secret-0123456789abcdef0123456789abcdef',
  jwtIssuer: 'cairn-spec',
  jwtAudience: 'cairn-spec-api',
  accessTokenTtlSeconds: 600,
  refreshTokenTtlSeconds: 3600,
  sessionMaxSeconds: 86_400,
};

describe('AccessTokenService', () => {
  const userId = '11111111-1111-4111-8111-111111111111';
  const tenantId = '22222222-2222-4222-8222-222222222222';
  const sessionId = '33333333-3333-4333-8333-333333333333';

  it('issues HS256 tokens with sub, tid, sid, jti, iss, aud and exp = iat + ttl', async () => {
    const { token, expiresAt } = await new AccessTokenService(config).issue(userId, tenantId, sessionId);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = await new JwtService().verifyAsync<Record<string, unknown>>(token, {
      secret: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
    });
    expect(claims).toMatchObject({ sub: userId, tid: tenantId, sid: sessionId, iss: 'cairn-spec', aud: 'cairn-spec-api' });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(expiresAt.getTime()).toBe((claims.exp as number) * 1000);
  });

  it('gives every token its own jti', async () => {
    const service = new AccessTokenService(config);
    const [a, b] = await Promise.all([service.issue(userId, tenantId, sessionId), service.issue(userId, tenantId, sessionId)]);
    const jti = (t: string) => (JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()) as { jti: string }).jti;
    expect(jti(a.token)).not.toBe(jti(b.token));
  });

  it('cannot be verified with another secret', async () => {
    const { token } = await new AccessTokenService(config).issue(userId, tenantId, sessionId);
    await expect(
      new JwtService().verifyAsync(token, { secret: 'another-secret-0123456789abcdef0123456789', algorithms: ['HS256'] }),
    ).rejects.toThrow();
  });
});
