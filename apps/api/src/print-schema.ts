import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { JsonLogger, loadConfig, TEST_SECRETS } from '@cairn/common';
import { createApp } from './create-app';

const HEADER = '# Generated from the code-first resolvers by `npm run schema`. Do not edit by hand.\n\n';

/** The GraphQL schema SDL exactly as the running server builds it, without needing a database. */
export async function printAppSchema(): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false' }, TEST_SECRETS);
  const app = await createApp(
    { config, appDatabaseUrl: 'postgres://schema-only@127.0.0.1:1/none', connectDatabase: false },
    new JsonLogger('error'),
  );
  await app.init();
  try {
    const { schema } = app.get(GraphQLSchemaHost);
    return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close();
  }
}
