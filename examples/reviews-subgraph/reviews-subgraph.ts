import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { requireCaller } from './gatehouse-token';
import type { VerifiedCaller, VerifyCaller } from './gatehouse-token';

/**
 * A second, deliberately small subgraph for the federation example: reviews written by Gatehouse
 * users. It extends Gatehouse's `User` entity with `reviews` and refers to users only by id;
 * everything else about a user comes from Gatehouse, under Gatehouse's rules. Who writes a review is
 * whoever the access token names, verified here against Gatehouse's JWKS (gatehouse-token.ts).
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Review {
    id: ID!
    body: String!
    author: User!
  }

  type User @key(fields: "id") {
    id: ID!
    reviews: [Review!]!
  }

  type Query {
    latestReviews(first: Int! = 20): [Review!]!
  }

  type Mutation {
    "A review by the caller: the author is whoever the verified access token names, never an argument."
    postReview(body: String!): Review!
  }
`);

/** Each request's caller, verified once from its Authorization header (forwarded by the gateway). */
export interface ReviewsContext {
  readonly caller: VerifiedCaller | null;
}

export const reviewsContext =
  (verifyCaller: VerifyCaller) =>
  async ({ req }: ExpressContextFunctionArgument): Promise<ReviewsContext> => ({ caller: await verifyCaller(req.get('authorization')) });

export interface Review {
  readonly id: string;
  readonly authorId: string;
  readonly body: string;
}

/** The reviews subgraph's schema over an in-memory list (newest last). */
export function createReviewsSchema(reviews: Review[] = []): GraphQLSchema {
  // The module form: its resolver map may name its context type (ReviewsContext), the single-object form's may not.
  return buildSubgraphSchema([{ typeDefs, resolvers: reviewResolvers(reviews) }]);
}

function reviewResolvers(reviews: Review[]) {
  return {
    Query: {
      latestReviews: (_root: unknown, { first }: { first: number }) => reviews.slice(-Math.max(0, Math.min(first, 100))).reverse(),
    },
    Mutation: {
      postReview: (_root: unknown, { body }: { body: string }, context: ReviewsContext) => {
        const review = { id: randomUUID(), authorId: requireCaller(context.caller).userId, body };
        reviews.push(review);
        return review;
      },
    },
    Review: {
      author: (review: Review) => ({ __typename: 'User', id: review.authorId }),
    },
    User: {
      __resolveReference: (reference: { id: string }) => reference,
      reviews: (user: { id: string }) => reviews.filter((review) => review.authorId === user.id),
    },
  };
}
