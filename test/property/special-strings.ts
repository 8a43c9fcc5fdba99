/**
 * fast-check generators of strings that YAML readers are apt to read as something else when they
 * are written plain: the special forms of the YAML 1.1 and 1.2 resolvers (and go-yaml v2's), then
 * the same with what makes a plain scalar impossible or different (spaces at either end, `#`,
 * `: `, line breaks, tabs, non-ASCII, characters YAML 1.1 takes for line breaks).
 */
import fc from 'fast-check';

/** A word in a random mix of upper and lower case. */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((up) => [...word].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));

/** Booleans, nulls, infinities, merge and value keys of YAML 1.1 and 1.2, in any case. */
const keyword = fc.oneof(
  fc.constantFrom('y', 'yes', 'n', 'no', 'on', 'off', 'true', 'false', 'null').chain(anyCase),
  fc.constantFrom('~', '', '<<', '=', '.inf', '+.inf', '-.inf', '.nan', '.Inf', '-.INF', '.NaN', 'NaN', 'Infinity'),
);

const digitsOf = (alphabet: string, max = 8) => fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: 1, maxLength: max });
/** Underscores dropped between characters (go-yaml v2 strips them all; YAML 1.1 allows them in numbers). */
const underscored = (s: string) =>
  fc.array(fc.nat(3), { minLength: s.length + 1, maxLength: s.length + 1 }).map((n) =>
    [...s].map((c, i) => `${n[i] === 0 ? '_' : ''}${c}`).join('') + (n[s.length] === 0 ? '_' : ''));

/** Integers in every base and notation, floats, exponents, sexagesimal numbers. */
const number = fc.oneof(
  fc.tuple(fc.constantFrom('', '+', '-'), fc.constantFrom('0b', '0B', '0o', '0O', '0x', '0X', '0', ''), digitsOf('0123456789abcdefABCDEF')).map(([s, p, d]) => `${s}${p}${d}`),
  fc.tuple(fc.constantFrom('', '+', '-'), fc.option(digitsOf('0123456789'), { nil: '' }), fc.constantFrom('.', ''), fc.option(digitsOf('0123456789'), { nil: '' }), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digitsOf('0123456789', 3)).map((p) => p.join('')), { nil: '' }))
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', '-', '+'), digitsOf('0123456789', 3), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }), fc.option(digitsOf('0123456789', 2), { nil: undefined }))
    .map(([s, h, rest, frac]) => `${s}${h}${rest.map((n) => `:${n}`).join('')}${frac === undefined ? '' : `.${frac}`}`),
).chain((n) => fc.oneof({ weight: 3, arbitrary: fc.constant(n) }, { weight: 1, arbitrary: underscored(n) }));

/** Dates and timestamps in the forms of YAML 1.1, go-yaml v2 and the `yaml` package. */
const timestamp = fc
  .tuple(
    fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.boolean(), fc.boolean(),
    fc.option(fc.tuple(fc.constantFrom('T', 't', ' ', '  '), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('', '.1', '.123456789'), fc.constantFrom('', 'Z', ' Z', '+01:00', '-05:00', ' -5')), { nil: undefined }),
  )
  .map(([y, m, d, padM, padD, time]) => {
    const date = `${y}-${padM ? String(m).padStart(2, '0') : m}-${padD ? String(d).padStart(2, '0') : d}`;
    if (!time) return date;
    const [sep, h, min, s, frac, tz] = time;
    return `${date}${sep}${h}:${String(min).padStart(2, '0')}:${String(s).padStart(2, '0')}${frac}${tz}`;
  });

/** The special forms themselves. */
export const specialForm = fc.oneof(keyword, number, timestamp);

/** Characters that change how a scalar may be written or read. */
const awkward = fc.constantFrom(' ', '  ', '#', ' #', '# ', ': ', ':', '- ', '? ', '\n', '\n\n', '\t', ',', '[', ']', '{', '}', '*', '&', '!', '|', '>', '\'', '"', '%', '@', '`', '\\',
  'é', '日本', '😀', '\u00a0', '\u0085', '\u2028', '\u2029', '\ufeff', '\u007f', '\u0000', '\u001b', '---', '...', '{{', '}}');

/**
 * Strings drawn from the special forms, alone or with awkward characters before, after or in the
 * middle; sometimes a plain word for contrast.
 */
export const specialString = fc.oneof(
  { weight: 4, arbitrary: specialForm },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.option(awkward, { nil: '' }), specialForm, fc.option(awkward, { nil: '' }), fc.option(specialForm, { nil: '' })).map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

/** Special forms that a Kubernetes label value allows (`team`, `environment`). */
export const specialLabelValue = specialForm.filter((s) => /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/.test(s));

/** Special strings that a spec accepts as an owner: printable, no spaces at either end, no `system:` identity. */
export const specialSubject = specialString.filter((s) => s.length > 0 && /^[^\x00-\x1f\x7f]+$/.test(s) && s === s.trim() && !s.toLowerCase().startsWith('system:'));
