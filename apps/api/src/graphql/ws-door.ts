import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type ValidationRule,
} from 'graphql';
import type { Context, Disposable, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  AUTHENTICATOR,
  CAIRN_CONFIG,
  CairnError,
  JsonLogger,
  authorizationOf,
  credentialFailureOf,
  databaseUnavailable,
  isDatabaseUnavailable,
  requestContext,
  unauthenticated,
  type Authenticator,
  type CairnConfig,
  type RequestHolder,
  type Viewer,
} from '@cairn/common';
import { asGraphqlError, checkOperationInput, clientErrorFormatter, doorValidationRules } from './door-rules';
import { subscribeSharingResults } from './shared-subscription-results';
import { coalesceSends } from './coalesced-sends';
import { SharedPayloads } from './shared-payloads';
import { WS_CLOSE, WsConnections, type WsConnection } from './ws-connections';
import { GraphqlOperations } from '../metrics/graphql-operations';
import { WsOperationLog, type WsOperationInfo } from './ws-operation-log';

const PATH = '/graphql';

type WsContext = Context<Record<string, unknown>, Extra> & { conn?: WsConnection };

/** What resolvers and AuthGuard find as the context's `req` over graphql-ws (the WebSocket counterpart of an HTTP request). */
interface WsOperationHolder extends RequestHolder {
  extra: Extra;
  /** For the operation's metrics and log line. */
  operation: WsOperationInfo;
}

const holderOf = (args: ExecutionArgs) => (args.contextValue as { req: WsOperationHolder }).req;

/**
 * GraphQL over graphql-ws on /graphql, under the same rules as HTTP (door-rules.ts): messages no
 * larger than MAX_BODY_BYTES, the same length and variable checks, the same validation rules,
 * error masking and production settings. Every operation re-authenticates the socket's credential
 * exactly as an HTTP request would (one query), so it runs with the principal's current rights;
 * a sweep closes sockets whose rights were taken away within SWEEP_MS, ending their
 * subscriptions. Replaces @nestjs/graphql's subscription server, which takes none of these options.
 */
@Injectable()
export class WsDoor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private wss?: WebSocketServer;
  private server?: Disposable;
  private readonly connections: WsConnections;
  private readonly log: WsOperationLog;
  private readonly rules: ValidationRule[];
  /** Each shared result's JSON made once, not once per socket. */
  private readonly payloads = new SharedPayloads();
  private readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    @Inject(AUTHENTICATOR) private readonly auth: Authenticator,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    logger: JsonLogger,
    operations: GraphqlOperations,
  ) {
    this.connections = new WsConnections(auth, config.limits.wsConnectionsPerTenant, logger, operations.metrics.wsConnections);
    this.log = new WsOperationLog(operations, logger);
    this.rules = [...specifiedRules, ...doorValidationRules(config)];
    this.formatError = clientErrorFormatter(config, logger);
  }

  onApplicationBootstrap(): void {
    // An application context without HTTP (the CLI) has no door to open.
    const http = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!http) return;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.config.maxBodyBytes });
    this.server = useServer(
      {
        isProd: this.config.env === 'production',
        onConnect: (ctx) => this.connect(ctx as WsContext),
        onClose: (ctx) => this.closed(ctx as WsContext),
        onSubscribe: (ctx, _id, payload) => this.operation(ctx as WsContext, payload),
        execute: (args: ExecutionArgs) => this.run(args, async () => execute(args)),
        // One execution per feed row and operation, shared by the subscribers that receive it.
        subscribe: (args: ExecutionArgs) => this.run(args, () => subscribeSharingResults(args)),
        onNext: (ctx, _id, _payload, _args, result) =>
          this.masked(result as ExecutionResult) ?? this.payloads.standIn(ctx.extra.socket, result as ExecutionResult),
        onError: (_ctx, _id, _payload, errors) => errors.map((e) => this.formatError(e.toJSON(), e)),
      },
      this.wss,
    );
    http.on('upgrade', this.onUpgrade);
  }

  /**
   * Closes every socket with 1001 "going away" (clients resume from their cursor elsewhere). Runs
   * before Apollo stops (graphql-options: stopOnApplicationShutdown), whose HTTP drain would
   * otherwise cut the upgraded sockets without a close frame.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.connections.stopSweeping();
    (this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined)?.off('upgrade', this.onUpgrade);
    await this.server?.dispose();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
    if (path !== PATH || !this.wss) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      coalesceSends(ws, socket, (frame) => this.payloads.expand(ws, frame));
      this.wss!.emit('connection', ws, req);
    });
  }

  private async connect(ctx: WsContext): Promise<boolean> {
    const { socket, request } = ctx.extra;
    const authorization = authorizationOf({ connectionParams: ctx.connectionParams });
    const ip = request.socket.remoteAddress;
    let viewer: Viewer;
    try {
      viewer = await this.auth.authenticate(authorization, { ip });
    } catch (err) {
      // Closed here with a code that tells the client what to do (graphql-ws would say 4403 to all).
      const [code, reason] = refusalAtConnect(err);
      socket.close(code, reason);
      return false;
    }
    // The client may have gone while we authenticated: it must not take a slot it never frees.
    if (socket.readyState !== socket.OPEN) return false;
    const conn: WsConnection = { viewer, authorization, ip, close: (code, reason) => socket.close(code, reason), closed: false };
    if (!this.connections.admit(conn)) {
      socket.close(WS_CLOSE.TOO_MANY_CONNECTIONS, `At most ${this.config.limits.wsConnectionsPerTenant} WebSocket connections per tenant`);
      return false;
    }
    ctx.conn = conn;
    return true;
  }

  private closed(ctx: WsContext): void {
    if (ctx.conn) this.connections.release(ctx.conn);
  }

  /**
   * Runs an operation in its own request context (id, tenant), then counts, times and logs it; a
   * subscription is counted as active until it ends.
   */
  private async run(
    args: ExecutionArgs,
    fn: () => Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>>,
  ): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
    const holder = holderOf(args);
    return requestContext.run({ requestId: randomUUID(), tenantId: holder.viewer?.tenantId }, async () => {
      const result = await fn();
      const isStream = Symbol.asyncIterator in result;
      this.log.executed(holder.operation, holder.viewer, isStream ? {} : (result as ExecutionResult));
      return isStream ? this.log.counted(result as AsyncIterableIterator<ExecutionResult>) : result;
    });
  }

  /** Every query, mutation and subscription: the HTTP checks, the current principal, then parse and validate; refusals are logged and counted. */
  private async operation(ctx: WsContext, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const info: WsOperationInfo = { name: payload.operationName, type: undefined, started: process.hrtime.bigint() };
    const prepared = await this.prepare(ctx, payload, info);
    if (Array.isArray(prepared)) this.log.refused(info, ctx.conn?.viewer, prepared);
    return prepared;
  }

  private async prepare(
    ctx: WsContext,
    payload: SubscribePayload,
    info: WsOperationInfo,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const conn = ctx.conn;
    if (!conn) return [asGraphqlError(unauthenticated())];
    const refused = checkOperationInput(payload.query, payload.variables, this.config.limits.graphqlMaxQueryLength);
    if (refused) return [asGraphqlError(refused)];
    const viewer = await this.currentViewer(conn);
    if (viewer instanceof GraphQLError) return [viewer];
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      return [tagged(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const schema = this.schemaHost.schema;
    const op = getOperationAST(document, payload.operationName);
    info.name = payload.operationName ?? op?.name?.value;
    info.type = op?.operation;
    const invalid = validate(schema, document, this.rules);
    if (invalid.length > 0) return invalid.map((e) => tagged(e, 'GRAPHQL_VALIDATION_FAILED'));
    const holder: WsOperationHolder = { viewer, ip: conn.ip, connectionParams: ctx.connectionParams, extra: ctx.extra, operation: info };
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables ?? undefined,
      contextValue: { req: holder },
    };
  }

  /**
   * The socket's credential as HTTP would see it now (AuthService.authenticate, the same call):
   * the current role and scopes, or the socket is closed — 4401 when the credential expired (or no
   * longer verifies), 4403 when it was revoked. A database outage or a throttle refuses this operation only.
   */
  private async currentViewer(conn: WsConnection): Promise<Viewer | GraphQLError> {
    const expiresAt = conn.viewer.expiresAt;
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      this.connections.end(conn, 'expired');
      return asGraphqlError(unauthenticated());
    }
    try {
      return await this.auth.authenticate(conn.authorization, { ip: conn.ip });
    } catch (err) {
      if (isDatabaseUnavailable(err)) return asGraphqlError(databaseUnavailable());
      if (!(err instanceof CairnError)) return new GraphQLError('Internal server error', { originalError: err as Error });
      if (err.code !== 'RATE_LIMITED') this.connections.end(conn, credentialFailureOf(err) === 'revoked' ? 'revoked' : 'expired');
      return asGraphqlError(err);
    }
  }

  /** Execution errors (resolver throws, database texts) masked exactly as over HTTP; results without errors pass untouched. */
  private masked(result: ExecutionResult): ExecutionResult | undefined {
    if (!result.errors?.length) return undefined;
    return { ...result, errors: result.errors.map((e) => this.formatError(e.toJSON(), e)) as unknown as GraphQLError[] };
  }
}

/**
 * The close code for a credential refused at connection_init: 4401 (authenticate again: missing,
 * invalid or expired), 4403 (forbidden: revoked key, disabled user, suspended tenant, ended
 * session), 4429 (sign-in throttle), 1013 (database unreachable: try again later), 1011 otherwise.
 */
export function refusalAtConnect(err: unknown): [number, string] {
  if (isDatabaseUnavailable(err)) return [WS_CLOSE.TRY_AGAIN_LATER, 'Service temporarily unavailable'];
  if (!(err instanceof CairnError)) return [WS_CLOSE.INTERNAL_ERROR, 'Internal server error'];
  if (err.code === 'RATE_LIMITED') return [WS_CLOSE.TOO_MANY_CONNECTIONS, err.message];
  if (credentialFailureOf(err) === 'revoked') return [WS_CLOSE.FORBIDDEN, 'Credentials no longer valid'];
  return [WS_CLOSE.AUTHENTICATE_AGAIN, 'Invalid, missing or expired credentials; authenticate again'];
}

/** The code Apollo gives the same error over HTTP (the formatter lets those messages through). */
function tagged(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
