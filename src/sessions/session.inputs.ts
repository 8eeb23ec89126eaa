import { Field, InputType } from 'type-graphql';

@InputType('LogoutInput')
export class LogoutInput {
  @Field(() => String, { nullable: true, description: "Logs out this refresh token's session (works without an access token)." })
  refreshToken?: string | null;

  @Field(() => String, { nullable: true, description: 'The clientId the refresh token was issued to, as refreshToken takes it.' })
  clientId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Revoke every session of the user.' })
  allSessions?: boolean | null;
}
