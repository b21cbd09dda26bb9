import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { IntelService, type ObjectFilter } from './intel.service';
import type { StoredObject } from './object-store';
import { ExportArgs, ObjectArgs, ObjectFilterInput, ObjectsArgs } from './dto/objects.args';
import { StixObjectConnection, StixObjectModel, TlpEnum } from './dto/stix-object.model';
import { ExportedBundleModel } from './dto/publish-result.model';

@Resolver(() => StixObjectModel)
@UseGuards(AuthGuard)
export class IntelResolver {
  constructor(private readonly intel: IntelService) {}

  @Query(() => StixObjectConnection, { description: 'STIX objects the viewer may see, in the order the exchange added them.' })
  @RequireScopes('intel:read')
  async objects(@CurrentViewer() viewer: Viewer, @Args() args: ObjectsArgs): Promise<StixObjectConnection> {
    const page = await this.intel.listObjects(viewer, toFilter(args.filter), args.first, args.after);
    return {
      edges: page.nodes.map((n) => ({ cursor: n.cursor, node: toModel(n) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Query(() => StixObjectModel, { description: 'One version of one object the viewer may see: the given version, or the newest.' })
  @RequireScopes('intel:read')
  async object(@CurrentViewer() viewer: Viewer, @Args() args: ObjectArgs): Promise<StixObjectModel> {
    return toModel(await this.intel.getObject(viewer, args.id, args.version ?? undefined));
  }

  @Query(() => ExportedBundleModel, {
    description: 'A STIX 2.1 bundle of the newest versions the viewer may see that match the filter, a page of at most `first` (MAX_BUNDLE_OBJECTS); continue with nextCursor.',
  })
  @RequireScopes('intel:read')
  async exportBundle(@CurrentViewer() viewer: Viewer, @Args() args: ExportArgs): Promise<ExportedBundleModel> {
    return this.intel.exportBundle(viewer, toFilter(args.filter), { first: args.first ?? undefined, after: args.after ?? undefined });
  }
}

export function toFilter(f: ObjectFilterInput | undefined): ObjectFilter {
  if (!f) return {};
  const { tlp, mine, ...rest } = f;
  const out: ObjectFilter = { tlps: tlp, publishedByViewer: mine ?? undefined };
  for (const [k, v] of Object.entries(rest)) if (v !== null && v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function toModel(o: StoredObject): StixObjectModel {
  return {
    id: o.id,
    type: o.type,
    modified: o.modified,
    dateAdded: o.dateAdded,
    tlp: o.tlp as TlpEnum,
    revoked: o.revoked,
    mine: o.publishedByViewer,
    object: o.doc,
  };
}
