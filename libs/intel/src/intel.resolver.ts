import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { IntelService } from './intel.service';
import type { StoredObject } from './object-store';
import { ObjectsArgs } from './dto/objects.args';
import { StixObjectConnection, StixObjectModel, TlpEnum } from './dto/stix-object.model';

@Resolver(() => StixObjectModel)
@UseGuards(AuthGuard)
export class IntelResolver {
  constructor(private readonly intel: IntelService) {}

  @Query(() => StixObjectConnection, { description: 'STIX objects the viewer may see, in the order the exchange added them.' })
  @RequireScopes('intel:read')
  async objects(@CurrentViewer() viewer: Viewer, @Args() args: ObjectsArgs): Promise<StixObjectConnection> {
    const page = await this.intel.listObjects(viewer, { types: args.filter?.types, ids: args.filter?.ids, tlps: args.filter?.tlp }, args.first, args.after);
    return {
      edges: page.nodes.map((n) => ({ cursor: n.cursor, node: toModel(n) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Query(() => StixObjectModel, { description: 'The newest version of one object the viewer may see.' })
  @RequireScopes('intel:read')
  async object(@CurrentViewer() viewer: Viewer, @Args('id') id: string): Promise<StixObjectModel> {
    return toModel(await this.intel.getObject(viewer, id));
  }
}

function toModel(o: StoredObject): StixObjectModel {
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
