import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar, graphqlEnumOf } from '@cairn/common';
import { TLP_LEVELS, type Tlp } from '@cairn/stix';

/** The GraphQL enum Tlp, built from the one list of levels (AMBER+STRICT is named AMBER_STRICT). */
export const TlpEnum = graphqlEnumOf(TLP_LEVELS);
registerEnumType(TlpEnum, { name: 'Tlp', description: 'Traffic Light Protocol 2.0 marking' });

@ObjectType('StixObject', {
  description: 'One version of a STIX 2.1 object the viewer may see. Who published it is never shown to other members.',
})
export class StixObjectModel {
  @Field()
  id: string;

  @Field()
  type: string;

  @Field({ description: 'The version (STIX `modified`; `created` for objects without one).' })
  modified: string;

  @Field({ description: 'When the exchange added this version: unique and increasing, microsecond precision.' })
  dateAdded: string;

  @Field(() => TlpEnum)
  tlp: Tlp;

  @Field()
  revoked: boolean;

  @Field({ description: "True when the viewer's own tenant published this version." })
  mine: boolean;

  @Field(() => JsonScalar, { description: 'The STIX 2.1 object itself.' })
  object: Record<string, unknown>;
}

@ObjectType('StixObjectEdge')
export class StixObjectEdge {
  @Field()
  cursor: string;

  @Field(() => StixObjectModel)
  node: StixObjectModel;
}

@ObjectType('PageInfo')
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType('StixObjectConnection')
export class StixObjectConnection {
  @Field(() => [StixObjectEdge])
  edges: StixObjectEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  /** Counts the whole listing; called only when totalCount is selected (StixObjectConnectionResolver). */
  count?: () => Promise<number | null>;
}
