'use strict';
/**
 * The zxcvbn strength estimate, run by piscina in a worker thread (see password-strength.ts) so that its
 * 40–130 ms never hold the event loop. Plain CommonJS on purpose: a worker thread is a bare Node thread,
 * which cannot load TypeScript (jest's transform does not reach it), so this file requires npm packages only.
 */
const { setPriority } = require('node:os');
const { threadId } = require('node:worker_threads');
const { ZxcvbnFactory } = require('@zxcvbn-ts/core');
const commonLanguage = require('@zxcvbn-ts/language-common');
const englishLanguage = require('@zxcvbn-ts/language-en');

/**
 * zxcvbn's matching grows quickly with length (about 300 ms for 64 random symbols with its default
 * l33t table). Judging the first 64 characters with a smaller l33t table keeps the worst case at
 * 40–130 ms; beyond 64 characters a password is long enough that its prefix decides.
 */
const STRENGTH_CHECK_LENGTH = 64;
const L33T_SUBSTITUTIONS = 4;

/**
 * Below the event loop's priority (nice 0 → 10): when the cores are contended, requests waiting on the
 * event loop go first and password checks wait, so a loop of sign-ups slows sign-ups, not everyone else.
 * Linux only, where a thread has a nice value of its own; elsewhere setpriority would lower the whole process.
 */
const NICENESS = 10;
if (process.platform === 'linux') setPriority(NICENESS);

// Built once per thread, as piscina starts it: loading the dictionaries (49k common passwords, 100k+ words) takes ~250 ms.
const estimator = new ZxcvbnFactory({
  maxLength: STRENGTH_CHECK_LENGTH,
  l33tMaxSubstitutions: L33T_SUBSTITUTIONS,
  dictionary: { ...commonLanguage.dictionary, ...englishLanguage.dictionary },
  graphs: commonLanguage.adjacencyGraphs,
  translations: englishLanguage.translations,
});

/**
 * @param {{ password: string, userInputs: string[] }} task the normalized password, and the user's own words
 * @returns {{ score: number, warning: string | null, threadId: number }} zxcvbn's score (0–4) and warning,
 *   and the thread that computed them
 */
module.exports = function estimatePasswordStrength({ password, userInputs }) {
  const result = estimator.check(password, userInputs);
  return { score: result.score, warning: result.feedback.warning || null, threadId };
};
