/** Characters that render as nothing (zero-width space, soft hyphen, word joiner, BOM, …). */
const invisibleCharacters = /\p{Default_Ignorable_Code_Point}/gu;
const whitespaceRuns = /\s+/gu;

/**
 * Two keys with the same name are the same person: a second key bypasses nothing. A name's
 * canonical form is what a reader would see: compatibility forms unified (NFKC: full-width
 * letters, ligatures, no-break spaces), invisible characters removed, case folded (`ß` → `ss`,
 * final `ς` → `σ`: upper- then lower-casing is full case folding for names), whitespace runs
 * collapsed to one space and trimmed. "Erika Großmann", "ERIKA GROSSMANN" and "Erika\u200b
 * Gro\u00adßmann" are one person (docs/approvals.md).
 */
export function personOf(name: string): string {
  return name
    .normalize('NFKC')
    .replace(invisibleCharacters, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(whitespaceRuns, ' ')
    .trim();
}

export function samePerson(a: string, b: string): boolean {
  return personOf(a) === personOf(b);
}
