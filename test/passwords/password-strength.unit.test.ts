import { threadId as mainThreadId } from 'node:worker_threads';
import { PasswordStrengthEstimator } from '../../src/passwords/password-strength';
import { rejectionOf } from '../support/rejections';

/** 64 random-looking symbols: the longest (and slowest) password zxcvbn judges whole. */
const STRONG = 'Z#4k!r9@Qm^2vL&x7*Tp%8sW(e3)Nf_6+Hc=1yB~u5?jD;o0<aG>i$Kq.Ez,Rw:Px';

describe('password strength estimator', () => {
  it('starts no thread until the first estimate, then computes it on a thread other than the event loop’s', async () => {
    const estimator = new PasswordStrengthEstimator();
    expect(estimator.threadCount).toBe(0);

    const strength = await estimator.estimate(STRONG, []);

    expect(strength.score).toBe(4);
    expect(strength.threadId).not.toBe(mainThreadId);
    expect(estimator.threadCount).toBe(1);
    await estimator.close();
  });

  it('refuses an estimate beyond its queue with SERVICE_UNAVAILABLE, reason SERVER_BUSY and retryAfter, like the hasher', async () => {
    const estimator = new PasswordStrengthEstimator({ threads: 1, queueLimit: 0, idleTimeoutMilliseconds: 60_000 });

    const running = estimator.estimate(STRONG, []);
    const refused = await rejectionOf(estimator.estimate('correct horse battery staple', []));

    expect(refused).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'SERVER_BUSY', retryAfter: 1 } });
    await expect(running).resolves.toMatchObject({ score: 4 });
    // The slot is free again once the running estimate is done.
    await expect(estimator.estimate('passwordpassword', [])).resolves.toMatchObject({ score: 0 });
    await estimator.close();
  });

  it('lets its thread go once idle, and starts one again for the next estimate', async () => {
    const estimator = new PasswordStrengthEstimator({ threads: 1, queueLimit: 1, idleTimeoutMilliseconds: 1 });
    await estimator.estimate(STRONG, []);

    while (estimator.threadCount > 0) await new Promise((resolve) => setTimeout(resolve, 10));

    await expect(estimator.estimate(STRONG, [])).resolves.toMatchObject({ score: 4 });
    await estimator.close();
  });

  it('holds no thread once closed, and refuses estimates from then on', async () => {
    const estimator = new PasswordStrengthEstimator();
    await estimator.estimate(STRONG, []);

    await estimator.close();

    expect(estimator.threadCount).toBe(0);
    expect(await rejectionOf(estimator.estimate(STRONG, []))).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });
});
