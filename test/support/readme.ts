import { readFileSync } from 'node:fs';

/**
 * The README as the tests read it: its sections, their fenced blocks and the shell commands in
 * them, so a test can run a section's commands as written and fail when one is added unrun.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** A `## title` section up to the next `## ` heading. */
export function section(title: string, text: string = README): string {
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** A `### title` subsection up to the next `### ` or `## ` heading. */
export function subsection(title: string, text: string = README): string {
  const start = text.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`README has no subsection "${title}"`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n##+ /);
  return rest.slice(0, end < 0 ? undefined : end);
}

/**
 * The contents of the fenced blocks of one language (`''`: blocks without a language), read fence
 * by fence so the closing fence of one block is never taken for the opening of another. Blocks
 * indented under a list item lose that indentation.
 */
export function codeBlocks(text: string, language: string): string[] {
  const blocks: string[] = [];
  let open: { language: string; indent: number; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = /^( *)```(\S*)\s*$/.exec(line);
    if (open === undefined) {
      if (fence) open = { language: fence[2] ?? '', indent: (fence[1] ?? '').length, lines: [] };
    } else if (fence && fence[2] === '') {
      if (open.language === language) blocks.push(`${open.lines.join('\n')}\n`);
      open = undefined;
    } else {
      open.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
    }
  }
  return blocks;
}

/** The commands of a block: lines continued with a trailing backslash belong to the one before. */
export function commands(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
