export * from './feed-hub.service';
export * from './feed.service';
export type { FeedFilter, FeedRow } from './sighting-facts';
export * from './sighting-facts.repair';
export * from './sightings.errors';
export * from './sightings.module';
export * from './sightings-services.module';
export * from './sightings.service';
export * from './vocab';
export * from './stats.service';
// The GraphQL enums of a sighting's context, for other modules' types that show it (screening).
export { InterviewStageEnum, RoleCategoryEnum } from './dto/sighting.dto';
