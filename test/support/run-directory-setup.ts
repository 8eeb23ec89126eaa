import { ensureRunDirectory } from './temporary-directories';

/** The unit lane: this run's directory for temporary files, and no database template (it opens none). */
export default function runDirectorySetup(): void {
  ensureRunDirectory();
}
