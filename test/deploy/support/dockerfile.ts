import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY… */
  readonly keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  readonly text: string;
}

export interface Stage {
  readonly name: string;
  /** The image or earlier stage it starts from, ARGs substituted. */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
  stage(name: string): Stage;
  /** The stage and the stages it is built FROM, nearest first: ENV, USER and WORKDIR are inherited. */
  lineage(stage: Stage): Stage[];
}

/**
 * Just enough of the Dockerfile grammar for the checks in test/deploy: instructions, `\` continuations,
 * comments, stages and global ARG defaults. Not a general parser (no heredocs, no escape directive).
 */
export function readDockerfile(file: string): Dockerfile {
  const logicalLines: string[] = [];
  let pending = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    // Comments, including the ones between the lines of a continued instruction.
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += (pending === '' ? '' : ' ') + line.replace(/\\\s*$/, '').trim();
    if (!continued) {
      if (pending.trim() !== '') logicalLines.push(pending.trim());
      pending = '';
    }
  }

  const globalArguments = new Map<string, string>();
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const line of logicalLines) {
    const [, keyword = '', text = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), text };
    if (instruction.keyword === 'FROM') {
      const [base = '', , name] = text.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const resolvedBase = base.replace(/\$\{(\w+)\}|\$(\w+)/g, (_match, braced?: string, bare?: string) => globalArguments.get((braced ?? bare)!) ?? '');
      stages.push({ name: name ?? String(stages.length), base: resolvedBase, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [argument = '', value = ''] = text.split('=');
      globalArguments.set(argument.trim(), value.trim());
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }

  const stage = (name: string): Stage => {
    const found = stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`Dockerfile has no stage named ${name}`);
    return found;
  };
  const lineage = (start: Stage): Stage[] => {
    const chain = [start];
    for (let base = stages.find((candidate) => candidate.name === start.base); base; base = stages.find((candidate) => candidate.name === base!.base)) {
      chain.push(base);
    }
    return chain;
  };
  return { stages, stage, lineage };
}

/** The instructions with this keyword in a stage (not inherited). */
export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.text);
}

/** The stage's effective value of an inherited setting (USER, WORKDIR): the last one set along its lineage. */
export function effectiveSetting(dockerfile: Dockerfile, stage: Stage, keyword: 'USER' | 'WORKDIR'): string | undefined {
  for (const ancestor of dockerfile.lineage(stage)) {
    const values = instructionsOf(ancestor, keyword);
    if (values.length > 0) return values[values.length - 1];
  }
  return undefined;
}

/** ENV values in effect in a stage (inherited ones overridden by later ones). Handles `ENV A=1 B=2` and `ENV A 1`. */
export function effectiveEnvironment(dockerfile: Dockerfile, stage: Stage): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const ancestor of dockerfile.lineage(stage).reverse()) {
    for (const text of instructionsOf(ancestor, 'ENV')) {
      if (!text.includes('=')) {
        const [name = '', ...value] = text.split(/\s+/);
        environment[name] = value.join(' ');
        continue;
      }
      for (const [, name = '', value = ''] of text.matchAll(/(\w+)=("[^"]*"|\S*)/g)) {
        environment[name] = value.replace(/^"(.*)"$/, '$1');
      }
    }
  }
  return environment;
}

/** An exec-form CMD or HEALTHCHECK CMD as its argument list (shell form is not supported here on purpose). */
export function execForm(text: string): string[] {
  const json = text.replace(/^(--\S+\s+)*(CMD\s+)?/, '');
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`not an exec-form command: ${text}`);
  }
  return parsed;
}

export interface Copy {
  readonly from: string | null;
  readonly sources: readonly string[];
  /** Absolute destination, resolved against the stage's WORKDIR. */
  readonly destination: string;
}

export function copiesOf(dockerfile: Dockerfile, stage: Stage): Copy[] {
  const workdir = effectiveSetting(dockerfile, stage, 'WORKDIR') ?? '/';
  return instructionsOf(stage, 'COPY').map((text) => {
    const from = /--from=(\S+)/.exec(text)?.[1] ?? null;
    const paths = text.split(/\s+/).filter((part) => !part.startsWith('--'));
    const destination = paths.pop()!;
    return { from, sources: paths, destination: path.posix.resolve(workdir, destination) };
  });
}
