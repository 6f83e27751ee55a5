import { createRandom, hashText } from './random';

/**
 * The simulator's "model": one token is one word, picked by a PRNG seeded from the
 * simulator's seed and the request's content, so the same request gets the same reply.
 */

// 256 words, so a word is one byte of randomness. Plain ASCII keeps JSON escaping off the hot path.
const WORDS = (
  'the a of to and in is it that for on with as was at by an be this from or are which ' +
  'function return const let value index array string number object buffer stream socket ' +
  'request response model token cache router budget provider gateway latency queue worker ' +
  'thread signal abort retry timeout error result promise await async class method field ' +
  'module import export type interface default switch case break continue while loop ' +
  'count total limit offset length width height depth level layer block chunk frame event ' +
  'handler listener server client channel message packet header body status code path ' +
  'route table column row key map set list tree node edge graph state store record entry ' +
  'file folder line word char byte bit flag mode option config setting policy rule check ' +
  'test case suite report metric sample window rate spread median mean peak floor ceiling ' +
  'quick brown lazy calm bright quiet steady early late small large simple clear exact ' +
  'river mountain forest ocean island valley meadow desert canyon harbor garden bridge ' +
  'tower castle village market station library museum school office kitchen window door ' +
  'north south east west summer winter spring autumn morning evening night today always ' +
  'never often seldom maybe surely gently slowly rapidly softly boldly kindly wisely ' +
  'build parse render format encode decode compress expand measure compare merge split ' +
  'sort filter reduce collect gather scatter publish subscribe connect close open start ' +
  'stop pause resume reset flush drain fill alpha beta gamma delta epsilon zeta theta kappa ' +
  'lambda sigma omega vector matrix tensor kernel shader pixel vertex'
).split(' ');

if (WORDS.length !== 256) throw new Error(`deterministic-text needs 256 words, has ${WORDS.length}`);

export interface GeneratedText {
  /** One entry per token; the first has no leading space, the rest have one, so joining them gives `text`. */
  pieces: string[];
  text: string;
}

/**
 * Picks `count` words for `content` (the request's input text and model) under `seed`.
 */
export function generateText(content: string, seed: number, count: number): GeneratedText {
  const random = createRandom(hashText(content, seed));
  const pieces = new Array<string>(count);
  let text = '';
  for (let i = 0; i < count; i++) {
    const word = WORDS[(random() * 256) | 0]!;
    const piece = i === 0 ? word : ' ' + word;
    pieces[i] = piece;
    text += piece;
  }
  return { pieces, text };
}

/** A deterministic length in [min, max] for this content, independent of the words drawn. */
export function deterministicLength(content: string, seed: number, min: number, max: number): number {
  if (max <= min) return min;
  const hash = hashText(content, seed ^ 0x5bd1e995);
  return min + (hash % (max - min + 1));
}

/** Words in `text`: runs of non-whitespace. This is the simulator's prompt token count. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return words;
}
