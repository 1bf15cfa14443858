import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../cards/plain-text.js';

// A CommonMark renderer with link detection on, as a Teams client renders TextBlock Markdown.
const md = new MarkdownIt({ linkify: true });
const rendered = (text: string) => md.renderInline(plainText(text));

describe('plainText (TFD text shown on a card)', () => {
  it('never becomes a link, emphasis, code or markup', () => {
    for (const hostile of ['[Reset your Teams password](https://evil.example/login)', '**urgent** _now_', '`code`', '<b>x</b>', 'see https://evil.example/x', '![img](https://evil.example/i.png)']) {
      expect(rendered(hostile), hostile).not.toMatch(/<a |<strong>|<em>|<code>|<b>|<img/);
    }
  });
  it('does not start a list, heading or quote', () => {
    for (const hostile of ['- item', '+ item', '1. first', '# heading', '> quote']) {
      expect(md.render(plainText(hostile)), hostile).toMatch(/^<p>/);
    }
  });
  it('removes bidirectional and other invisible controls, and folds line breaks', () => {
    expect(plainText('St Mary\u202Eymedaca')).toBe('St Maryymedaca');
    expect(plainText('a\u2066b\u200Fc\u0000d')).toBe('abcd');
    expect(plainText('line one\nline two')).toBe('line one line two');
  });
  it('reads ordinary names as they are', () => {
    for (const name of ['St Mary’s (North) Academy', 'Bristol, City of', 'Nia Okafor', '10–12']) expect(rendered(name)).toBe(md.utils.escapeHtml(name));
  });
});
