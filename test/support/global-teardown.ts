import { removeRunDirectory } from './temporary-directories';

export default removeRunDirectory;
