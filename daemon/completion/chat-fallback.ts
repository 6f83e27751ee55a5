/**
 * Completion through a chat model, for a candidate that can neither fill in the middle
 * natively nor take a family's FIM tokens (a cloud chat model, an instruct model). The model
 * is told to answer with the missing code only; `codeFromChatReply` takes off what chat
 * models add anyway (a fenced block, a sentence before it).
 */
import type { ChatMessage, ExtraContext } from '../../shared/gateway';

/** Marks the cursor in the code shown to the model; chosen to be unlike anything in real code. */
export const CURSOR_MARK = '<<CURSOR>>';

export interface ChatFallbackParts {
  prefix: string;
  suffix: string;
  filename: string;
  languageId: string;
  snippets: readonly ExtraContext[];
  multiline: boolean;
}

const INSTRUCTION =
  'You are a code completion engine. You are shown a file with the cursor marked ' +
  CURSOR_MARK +
  '. Reply with exactly the text to insert at the cursor: no explanation, no code fences, ' +
  'and none of the text that is already before or after the cursor.';

export function chatFallbackMessages(parts: ChatFallbackParts): ChatMessage[] {
  let context = '';
  for (const snippet of parts.snippets) context += `Another open file, ${snippet.filename}:\n${snippet.text}\n\n`;
  const scope = parts.multiline ? 'Complete the statement or block at the cursor.' : 'Complete the current line only.';
  const user = `${context}File ${parts.filename} (${parts.languageId}):\n${parts.prefix}${CURSOR_MARK}${parts.suffix}\n\n${scope}`;
  return [
    { role: 'system', content: INSTRUCTION },
    { role: 'user', content: user },
  ];
}

const FENCED = /```[^\n`]*\n([\s\S]*?)(?:\n?```|$)/;

/** The code in a chat model's reply: the first fenced block if there is one, the reply itself otherwise, without the cursor mark. */
export function codeFromChatReply(reply: string): string {
  const fenced = FENCED.exec(reply);
  const code = fenced !== null ? fenced[1]! : reply;
  return code.split(CURSOR_MARK).join('');
}
