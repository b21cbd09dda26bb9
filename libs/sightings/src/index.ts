export * from './feed-hub.service';
export * from './feed.service';
export * from './sighting-facts';
export * from './sightings.errors';
export * from './sightings.module';
export * from './sightings.service';
export * from './vocab';
export * from './stats.service';
