/**
 * Fill-in-the-middle prompts in a model family's own tokens, for servers that take a raw
 * prompt but have no FIM endpoint of their own (an OpenAI-compatible `/v1/completions` on
 * vLLM or LM Studio). Each template follows the family's documentation:
 * - Qwen2.5-Coder: `<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>`; other files before it as
 *   `<|file_sep|>path\ncontent`, the current file's path under its own `<|file_sep|>`.
 * - StarCoder2: `<fim_prefix>P<fim_suffix>S<fim_middle>`; with other files, the repository form
 *   `<file_sep>path\ncontent … <file_sep><fim_prefix>path\nP<fim_suffix>S<fim_middle>`.
 * - DeepSeek-Coder: `<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>` (full-width bars, U+2581 blanks).
 * - CodeLlama: `<PRE> P <SUF>S <MID>` (the spaces are part of the format).
 * DeepSeek-Coder and CodeLlama have no file separator: other files go before the prefix as
 * code, each under a comment naming its path, as they appeared in training data.
 *
 * Every prompt is built prefix-first, context before the cursor's file, so consecutive
 * prompts share their start.
 */
import type { ExtraContext } from '../../shared/gateway';

export type FimFamily = 'qwen' | 'starcoder' | 'deepseek' | 'codellama';

export interface FimParts {
  prefix: string;
  suffix: string;
  /** The current file's short path. */
  filename: string;
  languageId: string;
  snippets: readonly ExtraContext[];
}

export interface FimPrompt {
  prompt: string;
  /** The family's control tokens, most important first: generation past any of them is not part of the middle. */
  stop: readonly string[];
}

const FAMILY_PATTERNS: ReadonlyArray<[RegExp, FimFamily]> = [
  [/qwen[\d.]*-?coder|codeqwen/, 'qwen'],
  [/starcoder/, 'starcoder'],
  [/deepseek-?coder/, 'deepseek'],
  [/code-?llama/, 'codellama'],
];

/** The FIM family of a model, from its name (`qwen2.5-coder:1.5b`, `Qwen/Qwen2.5-Coder-7B`, `starcoder2:3b` ...). */
export function fimFamilyOf(model: string): FimFamily | undefined {
  const name = model.toLowerCase();
  for (const [pattern, family] of FAMILY_PATTERNS) if (pattern.test(name)) return family;
  return undefined;
}

export function renderFimPrompt(family: FimFamily, parts: FimParts): FimPrompt {
  switch (family) {
    case 'qwen':
      return { prompt: qwenPrompt(parts), stop: QWEN_STOP };
    case 'starcoder':
      return { prompt: starcoderPrompt(parts), stop: STARCODER_STOP };
    case 'deepseek':
      return { prompt: `<｜fim▁begin｜>${commentedContext(parts)}${parts.prefix}<｜fim▁hole｜>${parts.suffix}<｜fim▁end｜>`, stop: DEEPSEEK_STOP };
    case 'codellama':
      return { prompt: `<PRE> ${commentedContext(parts)}${parts.prefix} <SUF>${parts.suffix} <MID>`, stop: CODELLAMA_STOP };
  }
}

const QWEN_STOP: readonly string[] = Object.freeze(['<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|im_start|>', '<|im_end|>']);
const STARCODER_STOP: readonly string[] = Object.freeze(['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_middle>', '<fim_suffix>', '<repo_name>']);
const DEEPSEEK_STOP: readonly string[] = Object.freeze(['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>']);
const CODELLAMA_STOP: readonly string[] = Object.freeze(['<EOT>', '<PRE>', '<SUF>', '<MID>']);

function qwenPrompt(parts: FimParts): string {
  const fim = `<|fim_prefix|>${parts.prefix}<|fim_suffix|>${parts.suffix}<|fim_middle|>`;
  if (parts.snippets.length === 0) return fim;
  let context = '';
  for (const snippet of parts.snippets) context += `<|file_sep|>${snippet.filename}\n${withNewline(snippet.text)}`;
  return `${context}<|file_sep|>${parts.filename}\n${fim}`;
}

function starcoderPrompt(parts: FimParts): string {
  if (parts.snippets.length === 0) return `<fim_prefix>${parts.prefix}<fim_suffix>${parts.suffix}<fim_middle>`;
  let context = '';
  for (const snippet of parts.snippets) context += `<file_sep>${snippet.filename}\n${snippet.text}`;
  return `${context}<file_sep><fim_prefix>${parts.filename}\n${parts.prefix}<fim_suffix>${parts.suffix}<fim_middle>`;
}

/** Other files as code under a path comment, then the current file's path, for families without a file separator. */
export function commentedContext(parts: Pick<FimParts, 'snippets' | 'filename' | 'languageId'>): string {
  if (parts.snippets.length === 0) return '';
  const comment = lineCommentFor(parts.languageId);
  let context = '';
  for (const snippet of parts.snippets) context += `${comment} ${snippet.filename}\n${withNewline(snippet.text)}\n`;
  return `${context}${comment} ${parts.filename}\n`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

const HASH_COMMENT = new Set(['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'julia', 'elixir', 'coffeescript', 'nim']);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell', 'elm', 'ada', 'vhdl']);

/** The line comment of a VS Code language id (`//` for the C family and anything unknown). */
export function lineCommentFor(languageId: string): string {
  if (HASH_COMMENT.has(languageId)) return '#';
  if (DASH_COMMENT.has(languageId)) return '--';
  if (languageId === 'clojure' || languageId === 'lisp' || languageId === 'scheme') return ';;';
  if (languageId === 'erlang' || languageId === 'latex' || languageId === 'matlab') return '%';
  if (languageId === 'vb' || languageId === 'bat') return 'REM';
  return '//';
}
