import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { JsonScalar, AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import type { Distribution } from '@cairn/access';
import { IndicatorInput } from '../dto/indicator.input';
import { PublishResultModel } from '../dto/publish-result.model';
import { PublishPreviewModel } from '../dto/publish-preview.model';
import { SharingInput } from '../dto/sharing.input';
import { StixObjectModel } from '../dto/stix-object.model';
import { toModel } from '../intel.resolver';
import type { SharingRequest } from '../sharing';
import { PublishService } from './publish.service';
import type { PublishPreview, PublishSummary } from './publish.types';
import type { Tlp } from '@cairn/stix';

@Resolver()
@UseGuards(AuthGuard)
export class PublishResolver {
  constructor(private readonly publishing: PublishService) {}

  @Mutation(() => PublishResultModel, {
    description:
      'Publishes a STIX 2.1 bundle: validated in full, anonymised, personal data stored as keyed hashes, stored whole or not at all. ' +
      'On any problem nothing is stored and the error (BAD_USER_INPUT) lists extensions.issues. ' +
      'With repair: true (for real-world feeds such as MITRE ATT&CK releases), what is safely repairable is repaired and reported (repairs), ' +
      'objects still refused are SKIPPED with their errors, and the rest is stored. ' +
      'The distinct personal values submitted count against the lookup quota, as checkIdentifiers values do (RATE_LIMITED when over; nothing is stored); ' +
      'an object that held personal data is stored under an id keyed for the publisher (correctedFrom names the submitted one).',
  })
  @RequireScopes('intel:write')
  async publishBundle(
    @CurrentViewer() viewer: Viewer,
    @Args('bundle', { type: () => JsonScalar }) bundle: unknown,
    @Args('sharing', { type: () => SharingInput, nullable: true }) sharing?: SharingInput,
    @Args('repair', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description:
        'Repair mode: drop empty optional properties, strip a STIX 2.0 bundle spec_version, pad created/modified to milliseconds; skip (with reasons) what still fails, store the rest.',
    })
    repair?: boolean,
  ): Promise<PublishResultModel> {
    return toResult(await this.publishing.publishBundle(viewer, bundle, sharingFromInput(sharing), { repair: repair === true }));
  }

  @Mutation(() => PublishResultModel, {
    description: 'Publishes identifiers as observables, indicators and relationships, through the same pipeline as publishBundle.',
  })
  @RequireScopes('intel:write')
  async publishIndicators(
    @CurrentViewer() viewer: Viewer,
    @Args('indicators', { type: () => [IndicatorInput] }) indicators: IndicatorInput[],
    @Args('sharing', { type: () => SharingInput, nullable: true }) sharing?: SharingInput,
  ): Promise<PublishResultModel> {
    return toResult(await this.publishing.publishIndicators(viewer, indicatorRequests(indicators), sharingFromInput(sharing)));
  }

  @Mutation(() => PublishPreviewModel, {
    description:
      'A dry run of publishBundle (strict mode): every check, and the documents exactly as other members would be served them (anonymised, redacted, personal data as keyed hashes). ' +
      'Nothing is stored, audited or announced; problems come back in issues, all at once. ' +
      'The distinct personal values submitted count against the lookup quota, as checkIdentifiers values do (RATE_LIMITED when over; nothing is shown).',
  })
  @RequireScopes('intel:write')
  async previewBundle(
    @CurrentViewer() viewer: Viewer,
    @Args('bundle', { type: () => JsonScalar }) bundle: unknown,
    @Args('sharing', { type: () => SharingInput, nullable: true }) sharing?: SharingInput,
  ): Promise<PublishPreviewModel> {
    return toPreview(await this.publishing.previewBundle(viewer, bundle, sharingFromInput(sharing)));
  }

  @Mutation(() => PublishPreviewModel, { description: 'A dry run of publishIndicators: see previewBundle. Nothing is stored.' })
  @RequireScopes('intel:write')
  async previewIndicators(
    @CurrentViewer() viewer: Viewer,
    @Args('indicators', { type: () => [IndicatorInput] }) indicators: IndicatorInput[],
    @Args('sharing', { type: () => SharingInput, nullable: true }) sharing?: SharingInput,
  ): Promise<PublishPreviewModel> {
    return toPreview(await this.publishing.previewIndicators(viewer, indicatorRequests(indicators), sharingFromInput(sharing)));
  }

  @Mutation(() => StixObjectModel, { description: 'Revokes an object you published: a new version with revoked: true.' })
  @RequireScopes('intel:write')
  async revoke(@CurrentViewer() viewer: Viewer, @Args('id') id: string): Promise<StixObjectModel> {
    return toModel(await this.publishing.revoke(viewer, id));
  }
}

/** A GraphQL SharingInput as the sharing request the services take. */
export function sharingFromInput(s: SharingInput | undefined): SharingRequest {
  if (!s) return {};
  return {
    distribution: (s.distribution ?? undefined) as Distribution | undefined,
    tlp: (s.tlp ?? undefined) as Tlp | undefined,
    sectors: s.sectors ?? undefined,
    countries: s.countries ?? undefined,
    groupId: s.groupId ?? undefined,
    recipientTenantIds: s.recipientTenantIds ?? undefined,
    shareProtectedRaw: s.shareProtectedRaw ?? undefined,
  };
}

function toResult(s: PublishSummary): PublishResultModel {
  return s;
}

function indicatorRequests(indicators: IndicatorInput[]) {
  return indicators.map((i) => ({
    type: i.type,
    value: i.value,
    labels: i.labels ?? undefined,
    confidence: i.confidence ?? undefined,
    validUntil: i.validUntil ?? undefined,
    threatActor: i.threatActor ?? undefined,
  }));
}

function toPreview(p: PublishPreview): PublishPreviewModel {
  return {
    valid: p.valid,
    issues: p.issues,
    outcomes: p.outcomes,
    objects: p.objects.map((o) => ({ ...o, tlp: o.tlp as Tlp, distribution: o.distribution as Distribution })),
  };
}
