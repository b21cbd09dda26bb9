import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { FeedConnection } from './dto/sighting.dto';

/** totalCount is a query of its own: computed only when a client selects it. */
@Resolver(() => FeedConnection)
export class FeedConnectionResolver {
  @ResolveField(() => Int, {
    nullable: true,
    description:
      'Items matching the filter over all pages, counted as the viewer may see them. Null where it would count sightings of fewer than k members other than you (small-count rule).',
  })
  totalCount(@Parent() connection: FeedConnection): Promise<number | null> {
    return connection.count ? connection.count() : Promise.resolve(null);
  }
}
