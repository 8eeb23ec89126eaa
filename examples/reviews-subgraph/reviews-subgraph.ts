import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/**
 * A second, deliberately small subgraph for the federation example: reviews written by Gatehouse
 * users. It extends Gatehouse's `User` entity with `reviews` and refers to users only by id;
 * everything else about a user comes from Gatehouse, under Gatehouse's rules.
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
    "A toy: a real service would take the author from the verified access token (see the README's JWKS section)."
    postReview(authorId: ID!, body: String!): Review!
  }
`);

export interface Review {
  readonly id: string;
  readonly authorId: string;
  readonly body: string;
}

/** The reviews subgraph's schema over an in-memory list (newest last). */
export function createReviewsSchema(reviews: Review[] = []): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        latestReviews: (_root: unknown, { first }: { first: number }) => reviews.slice(-Math.max(0, Math.min(first, 100))).reverse(),
      },
      Mutation: {
        postReview: (_root: unknown, { authorId, body }: { authorId: string; body: string }) => {
          const review = { id: randomUUID(), authorId, body };
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
    },
  });
}
