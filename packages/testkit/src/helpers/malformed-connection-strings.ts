/**
 * Connection strings with a secret embedded in malformed ways (a mistyped `=`, a missing quote, an unquoted `;`,
 * control characters, URL forms), plus a seeded random mix of the same pieces: the inputs whose errors must never
 * show the secret (issue 13 item 1). Deterministic, so a failure reproduces.
 * @internal
 */
export function malformedConnectionStrings(secret: string, passwordKeyword: string, count = 250): string[] {
  const fixed = [
    `Server=db;User ID=app;${passwordKeyword}:${secret};Database=shop`,
    `${passwordKeyword}=correct;${secret}=battery`,
    `${passwordKeyword}=a;${secret}`,
    `${passwordKeyword}-${secret}`,
    `${passwordKeyword}='${secret}`,
    `${passwordKeyword}=${secret}'`,
    `${passwordKeyword}="${secret}"x`,
    `${passwordKeyword}=${secret}\x01`,
    `${secret}\x01=1`,
    `Port=${secret}`,
    `Max Pool Size=${secret}`,
    `Pooling=${secret}`,
    ...['postgres', 'mysql', 'mssql'].flatMap((scheme) => [
      `${scheme}://user:${secret}@host:badport/db`,
      `${scheme}://user:${secret}#x@host/db`,
      `${scheme}://user:${secret}%zz@host/db`,
      `${scheme}://host/db?${secret}=1`,
      `${scheme}://host/db?Port=${secret}`,
    ]),
  ];
  const pieces = [
    passwordKeyword,
    'Server',
    'Port',
    'Database',
    'horse',
    '=',
    '==',
    ';',
    ':',
    "'",
    '"',
    ' ',
    '\0',
    '\x01',
    '://',
    '@',
    '?',
    '%',
  ];
  let seed = 0x9e3779b9;
  const next = (limit: number): number => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return seed % limit;
  };
  const random: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const parts = Array.from({ length: next(8) }, () => pieces[next(pieces.length)]!);
    parts.splice(next(parts.length + 1), 0, secret);
    random.push(parts.join(''));
  }
  return [...fixed, ...random];
}
