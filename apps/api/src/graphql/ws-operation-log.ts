import type { ExecutionResult, GraphQLError } from 'graphql';
import { formatGraphqlError, type JsonLogger, type Viewer } from '@cairn/common';
import { viewerLogFields, type GraphqlOperations } from '../metrics/graphql-operations';

/** An operation on a socket, from its validation on. */
export interface WsOperationInfo {
  name: string | null | undefined;
  type: string | undefined;
  started: bigint;
}

/** The code a client gets for this error (the door's formatter decides; nothing is logged here, the formatter logs). */
function codeOf(error: GraphQLError): string {
  return String(formatGraphqlError(error.toJSON(), error, () => undefined).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/**
 * The WebSocket door's counterpart of operation-metrics.plugin: each operation counted and timed
 * by operation name, type and outcome, one log line each; and active subscriptions as a gauge.
 */
export class WsOperationLog {
  constructor(
    private readonly operations: GraphqlOperations,
    private readonly logger: JsonLogger,
  ) {}

  /** Refused before it ran (credentials, limits, parse, validation). */
  refused(info: WsOperationInfo, viewer: Viewer | undefined, errors: readonly GraphQLError[]): void {
    this.finish(info, viewer, errors.length ? codeOf(errors[0]) : undefined);
  }

  /** A query or mutation ran; for a subscription, its set-up (the source stream) did. */
  executed(info: WsOperationInfo, viewer: Viewer | undefined, result: ExecutionResult): void {
    this.finish(info, viewer, result.errors?.length ? codeOf(result.errors[0]) : undefined);
  }

  /** Counts a running subscription until its iterator ends, however it ends (client, server, socket closed). */
  counted<T>(iterator: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    const gauge = this.operations.metrics.wsSubscriptions;
    gauge.inc();
    let open = true;
    const done = () => {
      if (open) gauge.dec();
      open = false;
    };
    const wrapped: AsyncIterableIterator<T> = {
      [Symbol.asyncIterator]: () => wrapped,
      async next() {
        try {
          const r = await iterator.next();
          if (r.done) done();
          return r;
        } catch (err) {
          done();
          throw err;
        }
      },
      async return(value?: unknown) {
        done();
        return (await iterator.return?.(value)) ?? { value: undefined, done: true };
      },
      async throw(err?: unknown) {
        done();
        if (iterator.throw) return iterator.throw(err);
        throw err;
      },
    };
    return wrapped;
  }

  private finish(info: WsOperationInfo, viewer: Viewer | undefined, code: string | undefined): void {
    const seconds = Number(process.hrtime.bigint() - info.started) / 1e9;
    const fields = this.operations.record({ door: 'ws', name: info.name, type: info.type, code, seconds });
    this.logger.event('info', 'graphql', { door: 'ws', ...fields, ...viewerLogFields(viewer), ms: Math.round(seconds * 1000 * 10) / 10 });
  }
}
