import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUuid, CairnError, toStorableText, type Viewer } from '@cairn/common';
import { BundleRejectedError, PublishService, scrubPersonalText, type SharingRequest } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { highestTlp, tlpFromMarkingRefs, type Tlp } from '@cairn/stix';
import { collectionSharing } from '../collections/collection-kinds';
import { TaxiiCollectionsService } from '../collections/taxii-collections.service';
import { notFound, TaxiiError, TaxiiErrorCode } from '../taxii.errors';
import { statusFromRejection, statusFromSummary, submittedRefs, type StatusResource } from './status-resource';

/**
 * POST objects: the envelope becomes one bundle published through PublishService — the same
 * validation, anonymisation, protection of personal data and versioning rules as GraphQL
 * publishBundle, stored whole or not at all — with the sharing the collection stands for.
 * The outcome is kept as a TAXII status resource for GET status.
 */
@Injectable()
export class TaxiiPublishService {
  constructor(
    private readonly collections: TaxiiCollectionsService,
    private readonly publishing: PublishService,
    private readonly tenancy: TenancyService,
  ) {}

  async post(viewer: Viewer, collectionId: string, body: unknown): Promise<StatusResource> {
    const requestTimestamp = new Date().toISOString();
    const { collection, scope } = await this.collections.resolve(viewer, collectionId);
    const objects = envelopeObjects(body);
    const submitted = submittedRefs(objects);
    const sharing: SharingRequest = { ...collectionSharing(collection), tlp: strictestTlp(objects) };
    const id = randomUUID();
    let status: StatusResource;
    try {
      // Strict unless the operator turned repair mode on for this collection (CLI `taxii repair`).
      const repair = collection.repair_on_post === true;
      const summary = await this.publishing.publishBundle(viewer, { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, sharing, {
        repair,
      });
      status = statusFromSummary(id, requestTimestamp, submitted, summary);
    } catch (err) {
      if (err instanceof BundleRejectedError) status = statusFromRejection(id, requestTimestamp, submitted, err.issues);
      // A sharing the collection cannot take (TLP:RED to the community …) fails the whole envelope.
      else if (err instanceof CairnError && err.code === 'BAD_USER_INPUT')
        status = statusFromRejection(id, requestTimestamp, submitted, [
          { objectId: null, path: '$', code: String(err.details?.reason ?? 'INVALID_SHARING'), message: err.message },
        ]);
      else throw err;
    }
    // Ids and messages echo the client's input, which may hold text the database cannot store, or
    // personal data (a refused property named after an e-mail address): neither is kept.
    const text = JSON.stringify(status, (_key, value: unknown) =>
      typeof value === 'string' ? scrubPersonalText(toStorableText(value)) : value,
    );
    await this.tenancy.asViewer(scope, (m) =>
      m.query(`INSERT INTO taxii_status (id, tenant_id, collection_id, request_timestamp, resource) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        viewer.tenantId,
        collection.id,
        requestTimestamp,
        text,
      ]),
    );
    return JSON.parse(text) as StatusResource;
  }

  /** A status resource, only for the tenant that posted the envelope. */
  async status(viewer: Viewer, statusId: string): Promise<StatusResource> {
    if (!isUuid(statusId)) throw notFound('Status');
    const rows: Array<{ resource: StatusResource }> = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(`SELECT resource FROM taxii_status WHERE id = $1::uuid AND tenant_id = $2::uuid`, [statusId, viewer.tenantId]),
    );
    if (rows.length === 0) throw notFound('Status');
    return rows[0].resource;
  }
}

/** The objects of a TAXII envelope; 422 for a body that is not one (nothing is stored, no status). */
export function envelopeObjects(body: unknown): unknown[] {
  const objects = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).objects : undefined;
  if (!Array.isArray(objects))
    throw new TaxiiError(TaxiiErrorCode.INVALID_ENVELOPE, 'The body must be a TAXII envelope: { "objects": [ …STIX 2.1 objects… ] }');
  if (objects.length === 0) throw new TaxiiError(TaxiiErrorCode.INVALID_ENVELOPE, 'The envelope has no objects');
  return objects;
}

/** The strictest TLP the objects are marked with; none: the tenant's default decides. */
export function strictestTlp(objects: unknown[]): Tlp | undefined {
  let strictest: Tlp | undefined;
  for (const o of objects) {
    const level = o && typeof o === 'object' ? tlpFromMarkingRefs((o as Record<string, unknown>).object_marking_refs) : undefined;
    if (level) strictest = strictest ? highestTlp(strictest, level) : level;
  }
  return strictest;
}
