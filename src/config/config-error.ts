/**
 * A configuration the service cannot start with. The message lists every bad variable, one a line as
 * `VARIABLE: what is wrong`, and never quotes a value: secrets and keys arrive through these variables.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** How a check names a bad variable without stopping, so one start-up reports every mistake at once. */
export type ReportProblem = (variable: string, problem: string) => void;

export interface ConfigProblems {
  readonly report: ReportProblem;
  /** Throws one ConfigError naming every problem reported so far, if there is any. */
  throwIfAny(): void;
}

export function collectProblems(): ConfigProblems {
  const problems: string[] = [];
  return {
    report: (variable, problem) => {
      problems.push(`${variable}: ${problem}`);
    },
    throwIfAny: () => {
      if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    },
  };
}
