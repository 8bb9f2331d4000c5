// Collects every problem found in the manifests so the user sees them all at once.
import { WeftError } from '../errors.js';
import type { Loc } from '../types.js';

export interface Problem {
  code: string;
  message: string;
  loc?: Loc;
  hint?: string;
}

export class Problems {
  private readonly list: WeftError[] = [];
  private readonly seen = new Set<string>();

  /** `fileRank` orders files for sorting: the top manifest first, then includes as read. */
  constructor(private readonly fileRank: (file: string) => number) {}

  add(p: Problem): void {
    const key = `${p.code}\0${p.message}\0${p.loc?.file}:${p.loc?.line}:${p.loc?.col}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(new WeftError(p.code, p.message, { hint: p.hint, loc: p.loc }));
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws one WeftError for the first problem by position, holding the rest in `more`. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort((a, b) => this.compare(a.loc, b.loc));
    const [first, ...rest] = sorted as [WeftError, ...WeftError[]];
    throw new WeftError(first.code, first.message, { hint: first.hint, loc: first.loc, more: rest });
  }

  private compare(a: Loc | undefined, b: Loc | undefined): number {
    if (!a || !b) return a ? -1 : b ? 1 : 0;
    if (a.file !== b.file) return this.fileRank(a.file) - this.fileRank(b.file) || (a.file < b.file ? -1 : 1);
    return a.line - b.line || a.col - b.col;
  }
}
