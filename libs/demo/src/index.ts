// Public surface of @cairn/demo: a pure, seeded generator of synthetic exchange data.
export * from './demo.types';
export { createRng, type Rng } from './rng';
export { generateDemo, MISSION_SIZES } from './generate-demo';
export { summarise, type DemoSummary } from './summary';
// The seeder (Nest and the domain services, confined to seed/): loads a generated data set into a running app context.
export * from './seed';
