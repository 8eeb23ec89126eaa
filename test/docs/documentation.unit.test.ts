import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The README and docs/ as a newcomer follows them: every link leads somewhere, the configuration table
 * names every variable the service reads, and the walkthrough shown is the one the walkthrough test runs.
 */
const root = path.resolve(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const documents = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The document's lines outside fenced code blocks, where headings and links mean something. */
function proseLines(markdown: string): string[] {
  let isInFence = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      isInFence = !isInFence;
      return false;
    }
    return !isInFence;
  });
}

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every link target of a document's prose that stays in this repository. */
function localLinks(markdown: string): string[] {
  return proseLines(markdown)
    .flatMap((line) => [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!))
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('the README and docs/', () => {
  it.each(documents)('%s links only to files and headings that exist', (document) => {
    const broken = localLinks(read(document)).filter((target) => {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const linked = file === '' ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), file));
      if (!existsSync(path.join(root, linked))) return true;
      return anchor !== undefined && !headingAnchors(read(linked)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('lists in the configuration table exactly the variables of .env.example (which the configuration test holds to the schema)', () => {
    const readme = read('README.md');
    const configuration = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## ', readme.indexOf('\n## Configuration\n') + 1));
    const inTable = new Set(
      configuration
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!)),
    );
    const inExample = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!));
    expect({ missingFromTable: [...inExample].filter((name) => !inTable.has(name)), notInExample: [...inTable].filter((name) => !inExample.has(name)) }).toEqual({
      missingFromTable: [],
      notInExample: [],
    });
  });

  it('shows scripts/walkthrough.sh as it is', () => {
    expect(read('README.md')).toContain(`\`\`\`bash\n${read('scripts/walkthrough.sh')}\`\`\``);
  });
});
