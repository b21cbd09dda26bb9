export { validate, validateBundle, isKnownType } from './object';
export { checkValueLimits, DEFAULT_VALUE_LIMITS, isUnstorableText, type ValueLimits } from './limits';
export type { ValidateOptions } from './object';
export { SDO_TYPES, SRO_TYPES, SCO_TYPES, STANDARD_SCO_TYPES, META_TYPES, categoryOf } from './categories';
export type { Category } from './categories';
export { isValidCustomPropertyName, isValidDictionaryKey } from './values';
export { HASH_HEX_LENGTHS } from './hashes';
export { PREDEFINED_EXTENSIONS } from './predefined-extensions';
export { structuralKindOf, isStructuralValue, isSchemaProperty, type StructuralKind } from './value-kinds';
