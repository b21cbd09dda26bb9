export * from './cursor';
export * from './intel.errors';
export * from './intel.module';
export * from './intel.service';
export * from './stored-objects.service';
export * from './protect/protection-repair.service';
export type { StoredObject, NewObjectRow, InsertedVersion, CollectionPageQuery, CollectionRow } from './object-store';
export * from './sharing';
export * from './store-hooks';
export * from './publish/publish.service';
export * from './publish/publish.types';
export { type IndicatorRequest, type IndicatorKind, INDICATOR_KINDS } from './publish/indicator-builder';
export * from './protect/protected-key';
export * from './protect/protection-extension';
export {
  protectedKindOfProperty,
  protectedPropertiesOf,
  protectedPatternProperty,
  type ProtectedProperty,
} from './protect/protected-properties';
export { EXCHANGE_IDENTITY } from './anonymise/identities';
export { scrubPersonalText } from './anonymise/scrub';
export type { ExportedBundle } from './export/export-bundle';
export { PageInfo, TlpEnum } from './dto/stix-object.model';
export type { ObjectFilterSql } from './object-filter.sql';
export { planReferenceAudiences, narrowingRefs } from './audience/reference-audience';
export type { PlannedSharing, PlanNode } from './audience/plan';
export { SharingInput } from './dto/sharing.input';
export { sharingFromInput } from './publish/publish.resolver';
