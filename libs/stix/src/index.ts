// @cairn/stix — STIX 2.1 as a pure library: types, validation, deterministic
// ids, JSON canonicalisation, TLP markings, patterns and identifier normalisers.
export * from './types';
export * from './errors';
export * from './canonical-json';
export * from './ids';
export * from './timestamps';
export * from './tlp';
export * from './vocabularies';
export * from './custom-observables';
export * from './cairn-extensions';
export * from './validate';
export * from './pattern';
export * from './normalise';
export * from './repair';
