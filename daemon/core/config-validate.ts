import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { describeValue, pointerToKey } from './config-error';

/**
 * Compiled checkers by schema. Compiling builds a function from source text (a few hundred
 * microseconds); schemas are module constants, so each is compiled once per process, not once
 * per section and per route entry. Weakly held: a schema that goes away takes its checker.
 */
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema) as TypeCheck<T> | undefined;
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker;
}

/**
 * Checks a parsed config section against its schema and returns one readable line per problem:
 * `providers[0].kind: got "foo", expected one of "openai" | "ollama" | ...`.
 */
export function schemaProblems<T extends TSchema>(schema: T, value: unknown, prefix = ''): string[] {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const error of checker.Errors(value)) {
    const key = prefix + (prefix && error.path ? '.' : '') + (error.path ? pointerToKey(error.path) : prefix ? '' : '(top level)');
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(
      error.type === ValueErrorType.ObjectAdditionalProperties
        ? `${key}: unknown key (check the spelling)`
        : `${key}: got ${describeValue(error.value)}, expected ${expectation(error.type, error.schema, error.message)}`,
    );
    if (problems.length >= 20) break;
  }
  return problems;
}

function expectation(type: ValueErrorType, schema: TSchema, message: string): string {
  if (type === ValueErrorType.Union && Array.isArray(schema.anyOf) && schema.anyOf.every((s: TSchema) => 'const' in s)) {
    return `one of ${schema.anyOf.map((s: TSchema) => JSON.stringify(s.const)).join(' | ')}`;
  }
  if (type === ValueErrorType.StringPattern && schema.pattern === '^https?://') return 'a URL starting with http:// or https://';
  return message.replace(/^Expected /, '').toLowerCase();
}
