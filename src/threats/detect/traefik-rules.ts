/**
 * Whether a Traefik router rule can match a request for any host: the rule is parsed (matchers,
 * `&&`, `||`, `!`, parentheses) and judged for a request whose host is nobody's — its path,
 * headers, method and the rest chosen by whoever sends it. `Host(`a`)` needs a named host;
 * `HostRegexp` needs a host its pattern matches (a pattern that matches an unrelated probe host
 * is a catch-all); `HostSNI(`*`)` matches every host.
 */

/** A parsed rule: a matcher call, or `!`, `&&`, `||` over rules. */
type Rule =
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly string[] }
  | { readonly kind: 'not'; readonly rule: Rule }
  | { readonly kind: 'and' | 'or'; readonly left: Rule; readonly right: Rule };

/** Parses a rule; `undefined` when it is not one (Traefik would refuse it too). */
export function parseRule(text: string): Rule | undefined {
  let at = 0;
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const eat = (token: string) => {
    space();
    if (text.startsWith(token, at)) {
      at += token.length;
      return true;
    }
    return false;
  };
  const quoted = (): string | undefined => {
    space();
    const quote = text[at];
    if (quote !== '`' && quote !== '"') return undefined;
    let value = '';
    for (at++; at < text.length; at++) {
      if (text[at] === quote) {
        at++;
        return value;
      }
      if (quote === '"' && text[at] === '\\' && at + 1 < text.length) at++;
      value += text[at];
    }
    return undefined;
  };
  const unary = (): Rule | undefined => {
    if (eat('!')) {
      const rule = unary();
      return rule && { kind: 'not', rule };
    }
    if (eat('(')) {
      const rule = or();
      return rule && eat(')') ? rule : undefined;
    }
    space();
    const name = text.slice(at).match(/^[A-Za-z]+/)?.[0];
    if (!name) return undefined;
    at += name.length;
    if (!eat('(')) return undefined;
    const args: string[] = [];
    if (!eat(')')) {
      do {
        const arg = quoted();
        if (arg === undefined) return undefined;
        args.push(arg);
      } while (eat(','));
      if (!eat(')')) return undefined;
    }
    return { kind: 'call', name, args };
  };
  const chain = (op: 'and' | 'or', token: string, next: () => Rule | undefined) => (): Rule | undefined => {
    let left = next();
    while (left && eat(token)) {
      const right = next();
      left = right && { kind: op, left, right };
    }
    return left;
  };
  const and = chain('and', '&&', unary);
  const or = chain('or', '||', and);
  const rule = or();
  space();
  return rule && at === text.length ? rule : undefined;
}

/** Hosts no tenant owns: a pattern that matches one of them matches any host. */
const PROBE_HOSTS = ['tenancy-audit-probe.invalid', 'probe'];

/**
 * A `HostRegexp` pattern as a regular expression: Traefik v2's `{name:regexp}` templates
 * (anchored, the rest literal) or v3's regular expression (unanchored, Go syntax; a leading
 * `(?i)` becomes the `i` flag). `undefined` when JavaScript cannot compile it.
 */
export function hostPattern(pattern: string): RegExp | undefined {
  try {
    if (/\{[A-Za-z_]\w*(:|\})/.test(pattern)) {
      let source = '';
      let i = 0;
      while (i < pattern.length) {
        const m = pattern.slice(i).match(/^\{[A-Za-z_]\w*(:|\})/);
        if (!m) {
          source += pattern[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          i++;
          continue;
        }
        i += m[0].length;
        if (m[1] === '}') {
          source += '[^.]+';
          continue;
        }
        let depth = 1;
        let inner = '';
        for (; i < pattern.length && depth > 0; i++) {
          if (pattern[i] === '{') depth++;
          if (pattern[i] === '}') depth--;
          if (depth > 0) inner += pattern[i];
        }
        source += `(?:${inner})`;
      }
      return new RegExp(`^${source}$`, 'i');
    }
    return new RegExp(pattern.replace(/^\(\?i\)/, ''), 'i');
  } catch {
    return undefined;
  }
}

const catchAll = (pattern: string) => {
  const re = hostPattern(pattern);
  return re !== undefined && PROBE_HOSTS.some((h) => re.test(h));
};

/** For a request to a host nobody owns: whether the rule can be true, and whether it can be false. */
function judge(rule: Rule): { canMatch: boolean; canMiss: boolean } {
  switch (rule.kind) {
    case 'not': {
      const inner = judge(rule.rule);
      return { canMatch: inner.canMiss, canMiss: inner.canMatch };
    }
    case 'and': {
      const l = judge(rule.left);
      const r = judge(rule.right);
      return { canMatch: l.canMatch && r.canMatch, canMiss: l.canMiss || r.canMiss };
    }
    case 'or': {
      const l = judge(rule.left);
      const r = judge(rule.right);
      return { canMatch: l.canMatch || r.canMatch, canMiss: l.canMiss && r.canMiss };
    }
    default: {
      const name = rule.name.toLowerCase();
      let any: boolean | undefined;
      if (name === 'host' || name === 'hostheader') any = false;
      else if (name === 'hostregexp' || name === 'hostsniregexp') any = rule.args.some(catchAll);
      else if (name === 'hostsni') any = rule.args.some((a) => a.trim() === '*');
      // Any other matcher (path, headers, method, client address…) the sender can satisfy or not.
      return any === undefined ? { canMatch: true, canMiss: true } : { canMatch: any, canMiss: !any };
    }
  }
}

/** Whether a rule matches requests for any host; `undefined` when the rule does not parse. */
export function matchesEveryHost(text: string): boolean | undefined {
  const rule = parseRule(text);
  return rule && judge(rule).canMatch;
}
