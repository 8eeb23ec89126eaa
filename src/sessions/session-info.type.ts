import { Field, ID, ObjectType } from 'type-graphql';
import { AccountType } from '../accounts/account.type';
import { PermissionType } from '../accounts/permission.type';

@ObjectType('SessionInfo', { description: 'One login on one client.' })
export class SessionInfoType {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountType)
  account!: AccountType;

  @Field(() => String)
  role!: string;

  @Field(() => [PermissionType])
  access!: PermissionType[];

  @Field(() => Date, { description: 'When the session ends unless refreshed: the earlier of idleExpiresAt and absoluteExpiresAt.' })
  expiresAt!: Date;

  @Field(() => Date, { description: 'Each refresh pushes this back, up to absoluteExpiresAt.' })
  idleExpiresAt!: Date;

  @Field(() => Date)
  absoluteExpiresAt!: Date;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  lastUsedAt!: Date;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'The address the session was started from.' })
  ip!: string | null;

  @Field(() => Boolean, { description: 'This is the session the request came with.' })
  current!: boolean;
}
