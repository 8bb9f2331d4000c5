// The archive-only fields: integrity (normalised to SRI) and the format.
import type { ArchiveFormat } from './keys.js';
import { ARCHIVE_FORMATS } from './keys.js';
import { formatFromUrl, INTEGRITY_HINT, isArchiveFormat, normaliseIntegrity } from './integrity.js';
import type { RawSource } from './raw.js';
import type { SourceContext } from './build-source.js';

export const integrityHint = `add \`integrity:\` — ${INTEGRITY_HINT}`;

export function checkArchive(src: RawSource, url: string | undefined, ctx: SourceContext): { integrity?: string; format?: ArchiveFormat } {
  const out: { integrity?: string; format?: ArchiveFormat } = {};
  const f = src.fields;
  if (f.integrity) {
    const raw = ctx.interp.expand(f.integrity);
    if (raw !== undefined) {
      const r = normaliseIntegrity(raw);
      if (r.ok) out.integrity = r.sri;
      else ctx.problems.add({ code: 'WEFT_E_MANIFEST_INTEGRITY', message: `\`integrity\` of source \`${src.name}\` is not valid: ${r.why}`, loc: f.integrity.loc, hint: INTEGRITY_HINT });
    }
  }
  const formats = ARCHIVE_FORMATS.map((x) => `\`${x}\``).join(', ');
  if (f.format) {
    const raw = ctx.interp.expand(f.format);
    if (raw !== undefined) {
      if (isArchiveFormat(raw)) out.format = raw;
      else ctx.problems.add({ code: 'WEFT_E_MANIFEST_ARCHIVE_FORMAT', message: `\`format\` \`${raw}\` of source \`${src.name}\` is not a known archive format`, loc: f.format.loc, hint: `use one of ${formats}` });
    }
  } else if (url !== undefined) {
    out.format = formatFromUrl(url);
    if (out.format === undefined) {
      ctx.problems.add({
        code: 'WEFT_E_MANIFEST_ARCHIVE_FORMAT',
        message: `cannot tell the archive format of source \`${src.name}\` from its URL (no .tar, .tar.gz, .tgz, .tar.xz, .txz, .tar.bz2, .tbz2 or .zip ending)`,
        loc: f.archive!.loc,
        hint: `add \`format:\` with one of ${formats}`,
      });
    }
  }
  return out;
}
