// The seeder: writes a generated data set through the domain services. Unlike the generator beside
// it (pure, no I/O), it needs a Nest application context with the domain modules; that dependency stays in this folder.
export {
  DEMO_OPERATOR_EMAIL,
  DEMO_PASSWORD,
  demoSignInHint,
  seedDemo,
  seedDemoIfEmpty,
  todayUtc,
  type DemoSeedOptions,
} from './demo-seeder';
export { DemoSeedError, DemoSeedErrorCode, DEMO_ERROR_STATUS } from '../demo.errors';
