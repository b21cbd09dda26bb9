import { UseGuards } from '@nestjs/common';
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { IntelService, type ObjectFilter } from './intel.service';
import type { StoredObject } from './object-store';
import { ExportArgs, ObjectArgs, ObjectFilterInput, ObjectsArgs } from './dto/objects.args';
import { StixObjectConnection, StixObjectModel } from './dto/stix-object.model';
import { ExportedBundleModel } from './dto/publish-result.model';

@Resolver(() => StixObjectModel)
@UseGuards(AuthGuard)
export class IntelResolver {
  constructor(private readonly intel: IntelService) {}

  @Query(() => StixObjectConnection, { description: 'STIX objects the viewer may see, in the order the exchange added them.' })
  @RequireScopes('intel:read')
  async objects(@CurrentViewer() viewer: Viewer, @Args() args: ObjectsArgs): Promise<StixObjectConnection> {
    const filter = toFilter(args.filter);
    const page = await this.intel.listObjects(viewer, filter, args.first, args.after);
    return {
      edges: page.nodes.map((n) => ({ cursor: n.cursor, node: toModel(n) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      count: () => this.intel.countObjects(viewer, filter),
    };
  }

  @Query(() => StixObjectModel, { description: 'One version of one object the viewer may see: the given version, or the newest.' })
  @RequireScopes('intel:read')
  async object(@CurrentViewer() viewer: Viewer, @Args() args: ObjectArgs): Promise<StixObjectModel> {
    return toModel(await this.intel.getObject(viewer, args.id, args.version ?? undefined));
  }

  @Query(() => ExportedBundleModel, {
    description:
      'A STIX 2.1 bundle of the newest versions the viewer may see that match the filter, a page of at most `first` (MAX_BUNDLE_OBJECTS); continue with nextCursor.',
  })
  @RequireScopes('intel:read')
  async exportBundle(@CurrentViewer() viewer: Viewer, @Args() args: ExportArgs): Promise<ExportedBundleModel> {
    return this.intel.exportBundle(viewer, toFilter(args.filter), { first: args.first ?? undefined, after: args.after ?? undefined });
  }
}

/** totalCount is a query of its own: computed only when a client selects it. */
@Resolver(() => StixObjectConnection)
export class StixObjectConnectionResolver {
  @ResolveField(() => Int, {
    nullable: true,
    description:
      'Versions matching the filter over all pages, counted as the viewer may see them. Null where it would count sightings of fewer than k members other than you (small-count rule).',
  })
  totalCount(@Parent() connection: StixObjectConnection): Promise<number | null> {
    return connection.count ? connection.count() : Promise.resolve(null);
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
    tlp: o.tlp,
    revoked: o.revoked,
    mine: o.publishedByViewer,
    object: o.doc,
  };
}
