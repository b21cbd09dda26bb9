export * from './taxii.module';
export * from './taxii-services.module';
export * from './taxii.constants';
export * from './collections/taxii-collections.service';
export * from './objects/taxii-objects.service';
export * from './publish/taxii-publish.service';
export type { StatusResource, StatusDetail } from './publish/status-resource';
export { parseTaxiiQuery, OBJECTS_PARAMS, type TaxiiQuery } from './taxii-query';
export { collectionFilter, type CollectionKind } from './collections/collection-kinds';
