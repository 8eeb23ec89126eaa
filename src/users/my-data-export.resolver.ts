import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import type { MyDataExportService } from './my-data-export.service';
import { UserDataExportType } from './my-data-export.type';

/** The services these resolvers reach through the context. */
type MyDataExportContext = GraphQLContext<{ readonly myDataExport: MyDataExportService }>;

@Resolver()
export class MyDataExportResolver {
  @Query(() => UserDataExportType, {
    description: 'Everything Gatehouse holds about the signed-in user, to read or take elsewhere (GDPR art. 15 and 20). Lists are capped at the last 1000 rows each.',
  })
  exportMyData(@Ctx() context: MyDataExportContext): Promise<UserDataExportType> {
    return context.services.myDataExport.export(requireViewer(context).userId);
  }
}
