import { AuditService } from '@cairn/audit';
import type { Viewer } from '@cairn/common';
import { TenancyService } from '@cairn/tenancy';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';
import { listFlag, noPositional, numberFlag, optionalFlag } from '../cli-runner';
import { parseExpiry } from './auth.commands';

const MAX_LIMIT = 500;

export const auditCommands: CliCommand[] = [
  {
    path: ['audit'],
    usage: '[--tenant <slug>] [--action a,b] [--since <YYYY-MM-DD|ISO time>] [--limit N]',
    description:
      "Read the audit log, newest first, as the operator reads it in GraphQL: every tenant's account and admin events, not other tenants' publishing, sighting and read events",
    flags: {
      tenant: { description: 'only this tenant' },
      action: { description: 'comma-separated actions, e.g. tenant.suspended,apikey.created' },
      since: { description: 'entries at or after this date (midnight UTC) or ISO 8601 time' },
      limit: { description: `most entries to print, 1 to ${MAX_LIMIT} (default 50)` },
    },
    async run(args, io) {
      noPositional(args);
      const limit = numberFlag(args, 'limit', 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new CliUsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT} (got "${String(args.flags.limit)}")`);
      const sinceText = optionalFlag(args, 'since');
      let since: Date | undefined;
      try {
        since = sinceText ? parseExpiry(sinceText) : undefined;
      } catch {
        throw new CliUsageError(`--since must be a date like 2026-01-31 or an ISO 8601 time (got "${sinceText}")`);
      }
      const slug = optionalFlag(args, 'tenant');
      const actions = listFlag(args, 'action');
      const { entries, slugs } = await withCliContext(async (ctx) => {
        const tenancy = ctx.app.get(TenancyService);
        const tenantId = slug ? (await tenancy.getTenantBySlug(slug)).id : undefined;
        // The CLI is the exchange operator (the one on the server), acting from the exchange's own tenant.
        const operator: Viewer = { kind: 'user', tenantId: (await tenancy.exchangeTenant()).id, operator: true, scopes: new Set() };
        const entries = await ctx.app
          .get(AuditService)
          .query({ tenantId, actions: actions.length ? actions : undefined, since, limit }, operator);
        const slugs = new Map(
          (await tenancy.findTenants([...new Set(entries.map((e) => e.tenantId).filter((id): id is string => id !== null))])).map((t) => [
            t.id,
            t.slug,
          ]),
        );
        return { entries, slugs };
      }, io.err);
      io.out(['at', 'action', 'tenant', 'actor', 'target', 'details'].join('\t'));
      for (const e of entries) {
        const actor = e.actorUserId ? `user:${e.actorUserId}` : e.actorKeyId ? `apikey:${e.actorKeyId}` : '-';
        const target = e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '-';
        io.out(
          [
            e.at.toISOString(),
            e.action,
            e.tenantId ? (slugs.get(e.tenantId) ?? e.tenantId) : '-',
            actor,
            target,
            JSON.stringify(e.details),
          ].join('\t'),
        );
      }
      return 0;
    },
  },
];
