import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, Metrics, type CairnConfig, type Viewer } from '@cairn/common';
import { loggedOperationName, OperationNames, outcomeLabel } from './operation-names';

/** One GraphQL operation as either door saw it. */
export interface OperationOutcome {
  door: 'http' | 'ws';
  /** The client's operation name (null: anonymous). */
  name: string | null | undefined;
  /** query, mutation or subscription; undefined when the document did not parse or resolve. */
  type: string | undefined;
  /** The first error's code (extensions.code), undefined when the operation succeeded. */
  code: string | undefined;
  seconds: number;
}

/** Fields of the log line of a request or operation: who (ids only) and what; never arguments, tokens or values. */
export function viewerLogFields(viewer: Viewer | undefined, tenantId?: string): Record<string, unknown> {
  return { tenantId: viewer?.tenantId ?? tenantId, userId: viewer?.userId, apiKeyId: viewer?.apiKeyId };
}

/** Counts and times GraphQL operations of both doors under bounded labels, and gives their log fields. */
@Injectable()
export class GraphqlOperations {
  private readonly names: OperationNames;

  constructor(
    readonly metrics: Metrics,
    @Inject(CAIRN_CONFIG) config: CairnConfig,
  ) {
    this.names = new OperationNames(config.metrics.maxOperationNames);
  }

  record(op: OperationOutcome): Record<string, unknown> {
    const operation = this.names.label(op.name);
    const type = op.type ?? 'unknown';
    const outcome = outcomeLabel(op.code);
    this.metrics.graphqlOperations.inc({ door: op.door, operation, type, outcome });
    this.metrics.graphqlDuration.observe({ door: op.door, operation, type }, op.seconds);
    return { operation: loggedOperationName(op.name), operationType: type, code: op.code };
  }
}
