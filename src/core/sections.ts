// A file's sections: where the deploy, verify and revert sections start and end, and the tokens each holds.
import type { MarkerKind } from './directives.js';
import type { Token } from './lexer.js';
import type { Section } from './migration.js';

export interface Marker {
  kind: MarkerKind;
  /** Offset of the marker line's start and of the line after it. */
  lineStart: number;
  next: number;
  line: number;
}

export type ErrorAt = (code: string, offset: number, message: string, hint?: string) => void;

export function splitSections(text: string, markers: Marker[], deployStart: number, error: ErrorAt) {
  const reverts = markers.filter((m) => m.kind === 'revert');
  const verifies = markers.filter((m) => m.kind === 'verify');
  for (const extra of reverts.slice(1)) {
    error('duplicate-marker', extra.lineStart, 'a second "-- revert:" marker',
      `the revert section already started at line ${reverts[0].line}; a file has one revert section`);
  }
  for (const extra of verifies.slice(1)) {
    error('duplicate-marker', extra.lineStart, 'a second "-- verify:" marker',
      `the verify section already started at line ${verifies[0].line}; a file has one verify section`);
  }
  const revert = reverts[0];
  const verify = verifies[0];
  if (verify && revert && verify.lineStart > revert.lineStart) {
    error('verify-after-revert', verify.lineStart, '"-- verify:" after "-- revert:"',
      'put the verify section between the deploy and the revert sections');
  }
  const section = (start: number, end: number): Section => ({ sql: text.slice(start, end), offset: start });
  const deployEnd = markers.length > 0 ? markers[0].lineStart : text.length;
  const revertEnd = text.length;
  const verifyEnd = revert && verify && revert.lineStart > verify.lineStart ? revert.lineStart : text.length;
  return {
    deploy: section(deployStart, Math.max(deployStart, deployEnd)),
    verify: verify ? section(verify.next, verifyEnd) : undefined,
    revert: revert ? section(revert.next, revertEnd) : undefined,
  };
}

/** The tokens that start inside a section (tokens are sorted by offset: two binary searches). */
export function tokensIn(tokens: readonly Token[], section: Section): Token[] {
  const from = firstAtOrAfter(tokens, section.offset);
  return tokens.slice(from, firstAtOrAfter(tokens, section.offset + section.sql.length, from));
}

function firstAtOrAfter(tokens: readonly Token[], offset: number, lo = 0): number {
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

