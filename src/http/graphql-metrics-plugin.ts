import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../metrics/metrics';
import { INVALID_OPERATION, operationLabel } from './graphql-operation-label';

/** Times each GraphQL request by operation (gatehouse_graphql_operation_seconds): from its start to its response. */
export function createGraphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = INVALID_OPERATION;
      return {
        // Reached only by a document that parsed and validated, with an operation its operationName selects.
        async didResolveOperation(requestContext) {
          if (requestContext.operation) operation = operationLabel(requestContext.document, requestContext.operation);
        },
        async willSendResponse() {
          metrics.graphqlOperation(operation, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
