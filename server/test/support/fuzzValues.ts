import fc from 'fast-check';

/**
 * Values that have broken APIs before: edge numbers, odd strings (NUL, lone surrogates, long ones),
 * wrong shapes, impossible dates, injection-looking text. Shared by the fuzz tests.
 */
export const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '💥'.repeat(60),
    'x'.repeat(300),
    'x'.repeat(5000),
    -1,
    0,
    0.5,
    2 ** 31,
    2 ** 53,
    1e308,
    -0,
    null,
    true,
    [],
    {},
    ['00000000-0000-0000-0000-000000000000'],
    '00000000-0000-0000-0000-000000000000',
    '2027-02-30T10:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2027-03-01T09:00:00+14:00',
    'organizer',
    'not-an-email',
    'UPPER@EXAMPLE.ORG',
    "'; drop table audit_log; --",
    '{"$gt": ""}',
    '__proto__',
    '../../etc/passwd',
  ),
);
