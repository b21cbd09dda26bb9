import type { ApolloServerPlugin } from '@apollo/server';
import { graphiqlPage } from './graphiql-assets';

/** Apollo's landing page for browsers: our GraphiQL page with locally served assets. */
export function graphiqlLandingPage(graphqlPath: string): ApolloServerPlugin {
  const html = graphiqlPage(graphqlPath);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
