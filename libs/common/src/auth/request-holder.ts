import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Viewer } from './viewer';

/** The object a request's viewer is kept on, plus what authentication reads from the request. */
export interface RequestHolder {
  viewer?: Viewer;
  headers?: Record<string, string | string[] | undefined>;
  ip?: string;
  /** graphql-ws: the context carries the connection params instead of headers. */
  connectionParams?: Record<string, unknown>;
}

/**
 * HTTP → the Express request; GraphQL over HTTP → its `req`; GraphQL over WebSocket → the
 * context object itself (where connection-time authentication may already have put a viewer).
 */
export function requestHolder(context: ExecutionContext): RequestHolder | undefined {
  if (context.getType<GqlContextType>() === 'graphql') {
    const ctx = GqlExecutionContext.create(context).getContext<{ req?: RequestHolder } & RequestHolder>();
    if (!ctx) return undefined;
    return ctx.req ?? ctx;
  }
  if (context.getType() === 'http') return context.switchToHttp().getRequest<RequestHolder>();
  if (context.getType() === 'ws') return context.switchToWs().getClient<RequestHolder>();
  return undefined;
}

/** The Authorization header, or its equivalent in WebSocket connection params. */
export function authorizationOf(holder: RequestHolder): string | undefined {
  const header = holder.headers?.authorization;
  if (typeof header === 'string') return header;
  const params = holder.connectionParams;
  const fromParams = params?.authorization ?? params?.Authorization ?? params?.authToken;
  return typeof fromParams === 'string' ? fromParams : undefined;
}
