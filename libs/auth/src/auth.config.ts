import type { CairnConfig } from '@cairn/common';

/** The `auth` part of Cairn's config, provided by AuthModule.forRoot. */
export type AuthConfig = CairnConfig['auth'];
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
