/** What `work` rejects with, for assertions on the error itself; the test fails when it resolves instead. */
export async function rejectionOf(work: PromiseLike<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
