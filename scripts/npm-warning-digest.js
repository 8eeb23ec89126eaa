// npm prints each warning over several "npm warn …" lines: about 200 on a first `npm ci` of this
// project, nearly all of two kinds that README's Troubleshooting explains (packages declaring a newer
// Node.js than the one running; peer-dependency conflicts inside an old dependency's own tree). The
// digest lets npm's output through as it comes, except those two kinds: it gathers each into one line
// naming every package involved, so that a warning of any other kind still stands out.

/** A line that opens a warning of its own ("npm warn ERESOLVE …", "npm warn EBADENGINE …"). */
const WARNING_TITLE = /^npm warn (E[A-Z0-9]+|deprecated|install-scripts)\b/;

function createNpmWarningDigest() {
  const engines = [];
  const peerConflicts = [];
  let isInPeerConflict = false;
  let enginePackage = null;

  return {
    /** The line to print now, or null when the digest keeps it for its summary. */
    take(line) {
      if (!line.startsWith('npm warn')) return line;
      const title = WARNING_TITLE.exec(line)?.[1];
      if (title === undefined) return isInPeerConflict ? collectPeerConflict(line) : line;
      isInPeerConflict = title === 'ERESOLVE';
      if (title === 'ERESOLVE') return null;
      if (title !== 'EBADENGINE') return line;
      enginePackage = /package: '([^']+)'/.exec(line)?.[1] ?? enginePackage;
      const required = /required: \{ (.+) \}/.exec(line)?.[1];
      if (required !== undefined && enginePackage !== null) {
        engines.push(`${enginePackage} (${required.replace(/'/g, '')})`);
        enginePackage = null;
      }
      return null;
    },
    /** One line per kind gathered, empty when npm printed none of them. */
    summary() {
      const lines = [];
      if (engines.length > 0) {
        lines.push(`npm: a newer Node.js than this ${process.version} is declared by ${[...new Set(engines)].join(', ')}.`);
      }
      if (peerConflicts.length > 0) {
        lines.push(`npm: peer-dependency ranges not met (npm installs the lock file's versions anyway) while resolving ${[...new Set(peerConflicts)].join(', ')}.`);
      }
      if (lines.length > 0) lines.push('Which of these are expected, and why: README.md, Troubleshooting.');
      return lines;
    },
  };

  function collectPeerConflict(line) {
    const resolving = /^npm warn While resolving: (\S+)/.exec(line)?.[1];
    if (resolving !== undefined) peerConflicts.push(resolving);
    return null;
  }
}

module.exports = { createNpmWarningDigest };
