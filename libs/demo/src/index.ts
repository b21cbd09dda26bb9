// Public surface of @cairn/demo: a pure, seeded generator of synthetic exchange data.
export * from './demo.types';
export { createRng, type Rng } from './rng';
export { generateDemo, MISSION_SIZES } from './generate-demo';
export { summarise, type DemoSummary } from './summary';
