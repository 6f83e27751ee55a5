import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Position,
} from 'vscode-languageserver-protocol';
import type { DocumentSnapshot } from './completion-port';

interface StoredDocument {
  document: TextDocument;
  lastUsedAt: number;
}

/** Open documents kept for context snippets; more than this and the least recently used go. */
const MAX_DOCUMENTS = 200;

/**
 * The open documents of one editor connection, kept in sync incrementally, with the order they
 * were last used in (the completion pipeline takes context snippets from the most recent ones).
 */
export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();

  constructor(private readonly now: () => number = Date.now) {}

  open({ textDocument }: DidOpenTextDocumentParams): void {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    this.documents.set(textDocument.uri, { document, lastUsedAt: this.now() });
    if (this.documents.size > MAX_DOCUMENTS) this.evictLeastRecent();
  }

  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const stored = this.documents.get(textDocument.uri);
    if (stored === undefined) return;
    stored.document = TextDocument.update(stored.document, contentChanges, textDocument.version);
    stored.lastUsedAt = this.now();
  }

  close({ textDocument }: DidCloseTextDocumentParams): void {
    this.documents.delete(textDocument.uri);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document as it is now, marked as just used; undefined when the editor never opened it here. */
  use(uri: string): DocumentSnapshot | undefined {
    const stored = this.documents.get(uri);
    if (stored === undefined) return undefined;
    stored.lastUsedAt = this.now();
    return snapshotOf(stored);
  }

  offsetAt(uri: string, position: Position): number | undefined {
    return this.documents.get(uri)?.document.offsetAt(position);
  }

  positionAt(uri: string, offset: number): Position | undefined {
    return this.documents.get(uri)?.document.positionAt(offset);
  }

  /** Every other open document, most recently used first. */
  recent(exceptUri: string, limit = 10): DocumentSnapshot[] {
    return [...this.documents.values()]
      .filter((stored) => stored.document.uri !== exceptUri)
      .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
      .slice(0, limit)
      .map(snapshotOf);
  }

  private evictLeastRecent(): void {
    let oldest: StoredDocument | undefined;
    for (const stored of this.documents.values()) if (oldest === undefined || stored.lastUsedAt < oldest.lastUsedAt) oldest = stored;
    if (oldest !== undefined) this.documents.delete(oldest.document.uri);
  }
}

function snapshotOf(stored: StoredDocument): DocumentSnapshot {
  const { document } = stored;
  return { uri: document.uri, languageId: document.languageId, text: document.getText(), version: document.version, lastUsedAt: stored.lastUsedAt };
}
