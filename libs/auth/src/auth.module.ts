import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AUTHENTICATOR, AuthGuard, CairnExceptionFilter } from '@cairn/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenancyModule } from '@cairn/tenancy';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';
import { UserEntity } from './entities/user.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { PasswordService } from './password.service';
import { AccessTokenService } from './access-token.service';
import { RefreshTokenService } from './refresh-token.service';
import { TenantDirectory } from './tenant-directory';
import { UsersService } from './users.service';
import { ApiKeyService } from './api-key.service';
import { AuthThrottle } from './auth-throttle.service';
import { CairnJwtStrategy } from './strategies/cairn-jwt.strategy';
import { OidcJwtStrategy } from './strategies/oidc-jwt.strategy';
import { JwtVerifier } from './strategies/jwt-verifier';
import { AuthService } from './auth.service';
import { SessionService } from './session.service';
import { AuthResolver } from './graphql/auth.resolver';
import { UsersResolver } from './graphql/users.resolver';
import { ApiKeysResolver } from './graphql/api-keys.resolver';

/**
 * Authentication for every door. Global, so any module's resolvers and controllers can declare
 * `@UseGuards(AuthGuard)`. Also registers CairnExceptionFilter app-wide (CairnError → HTTP status).
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: AUTH_CONFIG, useValue: config },
      PasswordService,
      AccessTokenService,
      RefreshTokenService,
      TenantDirectory,
      UsersService,
      ApiKeyService,
      AuthThrottle,
      CairnJwtStrategy,
      // Only with an external IdP configured; JwtVerifier then routes RS256/ES256 tokens to it.
      ...(config.oidc ? [OidcJwtStrategy] : []),
      JwtVerifier,
      AuthService,
      { provide: AUTHENTICATOR, useExisting: AuthService },
      SessionService,
      AuthGuard,
      { provide: APP_FILTER, useClass: CairnExceptionFilter },
      AuthResolver,
      UsersResolver,
      ApiKeysResolver,
    ];
    return {
      module: AuthModule,
      imports: [TypeOrmModule.forFeature([UserEntity, ApiKeyEntity, RefreshTokenEntity]), TenancyModule],
      providers,
      exports: [AuthService, AUTHENTICATOR, AuthGuard, UsersService, ApiKeyService, SessionService, PasswordService],
    };
  }
}
