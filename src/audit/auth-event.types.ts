import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('AuthEvent', { description: 'One security event. Holds no secret.' })
export class AuthEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. LOGIN_FAILED, TOKEN_REFRESHED, MEMBER_ROLE_CHANGED.' })
  type!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('AuthEventEdge')
export class AuthEventEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuthEventType)
  node!: AuthEventType;
}

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('AuthEventConnection')
export class AuthEventConnectionType {
  @Field(() => [AuthEventEdgeType])
  edges!: AuthEventEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
