import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';
import { UserFacingError } from '../domain/errors.js';

/** Teams refuses messages over 100 KB (the whole activity); cards must leave room for the envelope. */
export const CARD_BYTE_LIMIT = 90 * 1024;

export class CardTooLargeError extends UserFacingError {
  constructor(name: string, bytes: number) {
    super(`the ${name} card is ${bytes.toLocaleString('en-GB')} bytes, over the ${CARD_BYTE_LIMIT.toLocaleString('en-GB')}-byte budget for a Teams message`);
  }
}

export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; body: unknown[] } & Record<string, unknown>;

const templates = new Map<string, ACData.Template>();

function template(name: string): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8')));
    templates.set(name, t);
  }
  return t;
}

/** Expands a template in `cards/templates/` with plain data and checks the result fits in a Teams message. */
export function expandCard(name: string, data: object): AdaptiveCardJson {
  const card = template(name).expand({ $root: data }) as AdaptiveCardJson;
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > CARD_BYTE_LIMIT) throw new CardTooLargeError(name, bytes);
  return card;
}
