import { generate } from 'otplib';
import { generateTotpSecret, matchTotpStep } from '../../src/two-factor/totp';

const secret = generateTotpSecret();
const at = (unixSeconds: number) => new Date(unixSeconds * 1000);
const STEP_START = 1_800_000_000; // a multiple of 30

describe('TOTP step matching', () => {
  it('answers the RFC 6238 step of a current code, at the given time rather than the wall clock', async () => {
    const code = await generate({ secret, epoch: STEP_START + 5 });

    expect(await matchTotpStep(secret, code, at(STEP_START + 10))).toBe(STEP_START / 30);
  });

  it('accepts one step of drift either way, and no more', async () => {
    const code = await generate({ secret, epoch: STEP_START });

    expect(await matchTotpStep(secret, code, at(STEP_START + 30))).toBe(STEP_START / 30);
    expect(await matchTotpStep(secret, code, at(STEP_START - 30))).toBe(STEP_START / 30);
    expect(await matchTotpStep(secret, code, at(STEP_START + 60))).toBeNull();
    expect(await matchTotpStep(secret, code, at(STEP_START - 60))).toBeNull();
  });

  it.each(['', '12345', '1234567', 'abcdef', '12 345'])('answers null for the malformed %p instead of throwing', async (code) => {
    expect(await matchTotpStep(secret, code, at(STEP_START))).toBeNull();
  });

  it('makes 160-bit base32 secrets', () => {
    expect(generateTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
  });
});
