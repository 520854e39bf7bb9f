import assert from 'node:assert/strict';
import { checkApiKeyFormat, checkEmail, checkIncidentNumber, checkServiceKey, hasControlCharacter, incidentNumberQuery, isIsoDateTime, normaliseServiceKey, rankByIncidentNumber, textLength } from '../../src/domain';

describe('identifier rules', () => {
  it('normalises service keys: trimmed, prefix lower case, rest upper case', () => {
    assert.equal(normaliseServiceKey('  SVC_k7qw2m9xhp '), 'svc_K7QW2M9XHP');
    assert.deepEqual(checkServiceKey(' Svc_k7qw2m9xhp'), { ok: true, value: 'svc_K7QW2M9XHP' });
  });

  it('rejects service keys with letters outside the alphabet or the wrong length', () => {
    for (const bad of ['svc_K7QW2M9XH', 'svc_K7QW2M9XHPP', 'svc_I7QW2M9XHP', 'svc_27QW2M9XHP', 'svc_K7QW2M9X0P', 'svc_K7QW2M9XUP', 'K7QW2M9XHP', '']) {
      const c = checkServiceKey(bad);
      assert.equal(c.ok, false, bad);
    }
  });

  it('explains legacy SER- keys with the right form', () => {
    const c = checkServiceKey('SER-00001');
    assert.equal(c.ok, false);
    assert.match((c as { message: string }).message, /legacy.*svc_K7QW2M9XHP/);
  });

  it('accepts incident numbers in any case and UUIDs', () => {
    assert.deepEqual(checkIncidentNumber(' inc-2026-001 '), { ok: true, value: 'INC-2026-001' });
    assert.equal(checkIncidentNumber('543D797B-5CE8-4597-82FD-22814A527294').ok, true);
    for (const bad of ['INC-26-1', '2026-001', 'INC-2026-', 'INC-2026-001/../x', 42, undefined]) {
      assert.equal(checkIncidentNumber(bad).ok, false, String(bad));
    }
    assert.match((checkIncidentNumber('nope') as { message: string }).message, /INC-2026-001/);
  });

  it('checks emails and ISO date-times', () => {
    assert.deepEqual(checkEmail(' Sam@Example.com '), { ok: true, value: 'sam@example.com' });
    assert.equal(checkEmail('sam@localhost').ok, false);
    assert.equal(isIsoDateTime('2026-04-01T00:00:00Z'), true);
    assert.equal(isIsoDateTime('2026-04-01T00:00:00.123+02:00'), true);
    assert.equal(isIsoDateTime('2026-04-01'), false);
    assert.equal(isIsoDateTime('2026-13-45T00:00:00Z'), false);
  });

  it('checks API key form without echoing the key', () => {
    assert.equal(checkApiKeyFormat('rf_abcdefgh').ok, true);
    for (const bad of ['sk_secretvalue123', 'rf_ab cd efgh', 'rf_1', '', undefined]) {
      const c = checkApiKeyFormat(bad);
      assert.equal(c.ok, false);
      if (typeof bad === 'string' && bad.length > 3) assert.ok(!(c as { message: string }).message.includes(bad), 'message must not echo the key');
    }
  });
});

describe('incident numbers typed into a picker', () => {
  const numbers = ['INC-2026-038', 'INC-2026-040', 'INC-2026-004', 'INC-2026-041', 'INC-2025-040', 'INC-2026-140'];
  const rank = (typed: string) => {
    const r = rankByIncidentNumber(typed, numbers, (n) => n);
    return r && { exact: r.exact, prefix: r.prefix };
  };

  it('names one incident exactly in every written form, with or without INC-, any case', () => {
    for (const typed of ['INC-2026-040', 'inc-2026-040', ' Inc-2026-040 ', '2026-040', 'INC2026-040', '2026-40']) {
      assert.deepEqual(rank(typed)?.exact, ['INC-2026-040'], typed);
    }
    // The sequence alone names the number in every year (the caller lists one year's in practice).
    assert.deepEqual(rank('040')?.exact, ['INC-2026-040', 'INC-2025-040']);
    assert.deepEqual(rank('40')?.exact, ['INC-2026-040', 'INC-2025-040']);
  });

  it('lists prefixes after exact matches, and never a title match', () => {
    assert.deepEqual(rank('4'), { exact: ['INC-2026-004'], prefix: ['INC-2026-040', 'INC-2026-041', 'INC-2025-040'] });
    assert.deepEqual(rank('INC-2026-04'), { exact: ['INC-2026-004'], prefix: ['INC-2026-040', 'INC-2026-041'] });
    assert.deepEqual(rank('2025'), { exact: [], prefix: ['INC-2025-040'] });
    assert.deepEqual(rank('INC-2026-039'), { exact: [], prefix: [] });
  });

  it('leaves words to the fuzzy search', () => {
    for (const typed of ['checkout', 'stale 40', '', 'INC-', 'sev1']) assert.equal(incidentNumberQuery(typed), undefined, typed);
  });
});

describe('#19.10 one length rule and no control characters in identifiers', () => {
  it('textLength counts code points: an emoji is one character', () => {
    assert.equal(textLength('😀'.repeat(200)), 200);
    assert.equal(textLength('a😀b'), 3);
    assert.equal(textLength('\ud800'), 1, 'a lone surrogate is one');
  });
  it('an email or API key with a control character is refused', () => {
    for (const bad of ['alex\u0000@example.com', 'alex@example.com\u0007', 'al\u001bex@example.com', 'alex@exa\u0085mple.com']) {
      const r = checkEmail(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
      if (!r.ok) assert.match(r.message, /control characters/);
    }
    assert.equal(checkApiKeyFormat('rf_abc\u0000defghij').ok, false);
    assert.equal(hasControlCharacter('plain text'), false);
  });
});
