// Runs inside the workbench page (added with page.addInitScript before the workbench loads):
// reads the focused editor as a user sees it, and timestamps keystrokes and ghost text with
// the page's own clock. Plain JavaScript on purpose: functions handed to page.evaluate from
// TypeScript get the transpiler's helpers injected, which do not exist in the page.
(() => {
  if (window.top !== window || window.__switchyardE2E) return;
  const NBSP = /\u00a0/g;
  const GHOST = '.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text';

  function focusedEditor() {
    return document.querySelector('.monaco-editor.focused') || document.querySelector('.editor-instance .monaco-editor');
  }

  function documentText(line) {
    const copy = line.cloneNode(true);
    copy.querySelectorAll(GHOST).forEach((span) => span.remove());
    return (copy.textContent || '').replace(NBSP, ' ');
  }

  // `.view-line`s are recycled and not in document order: their place is their style.top.
  function sortedLines(editor) {
    return Array.from(editor.querySelectorAll('.view-lines .view-line')).sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
  }

  function caretLine(editor) {
    const cursor = editor.querySelector('.cursors-layer .cursor');
    const lines = sortedLines(editor);
    if (!cursor || lines.length === 0) return null;
    const caretTop = parseFloat(cursor.style.top);
    let best = lines[0];
    for (const line of lines) if (Math.abs(parseFloat(line.style.top) - caretTop) < Math.abs(parseFloat(best.style.top) - caretTop)) best = line;
    return best;
  }

  function readGhost(editor) {
    editor = editor || focusedEditor();
    if (!editor) return null;
    const line = caretLine(editor);
    if (!line) return null;
    const inline = Array.from(line.querySelectorAll('span.ghost-text-decoration')).map((span) => span.textContent || '').join('');
    const below = Array.from(editor.querySelectorAll('.view-zones .ghost-text')).map((zone) => zone.textContent || '').join('\n');
    return { inline: inline.replace(NBSP, ' '), below: below.replace(NBSP, ' '), lineText: documentText(line) };
  }

  function readLines() {
    const editor = focusedEditor();
    return editor ? sortedLines(editor).map(documentText) : [];
  }

  // VS Code prefixes an extension's status bar item id with the extension id.
  function readStatusBarItem(id) {
    const items = Array.from(document.querySelectorAll('#workbench\\.parts\\.statusbar .statusbar-item'));
    const item = items.find((element) => element.id === id || element.id.endsWith('.' + id));
    if (!item) return undefined;
    const icons = [];
    item.querySelectorAll('.codicon').forEach((icon) => icon.classList.forEach((name) => {
      if (name.startsWith('codicon-')) icons.push(name.slice('codicon-'.length));
    }));
    return { id: item.id, text: (item.textContent || '').replace(NBSP, ' ').trim(), icons, ariaLabel: item.getAttribute('aria-label') || '', classes: Array.from(item.classList) };
  }

  // The timer: every keydown's timestamp, and every change of the caret line's ghost text with
  // the time the DOM changed (a MutationObserver runs before the frame is painted).
  const timeline = { keys: [], ghosts: [] };
  let observer = null;
  let lastInline = '';
  function onKeyDown(event) {
    timeline.keys.push({ key: event.key, at: event.timeStamp });
  }
  function startTimer() {
    stopTimer();
    const editor = focusedEditor();
    if (!editor) throw new Error('no focused editor to time');
    const first = readGhost(editor);
    lastInline = first ? first.inline : '';
    observer = new MutationObserver(() => {
      const reading = readGhost(editor);
      const inline = reading ? reading.inline : '';
      if (inline === lastInline) return;
      lastInline = inline;
      timeline.ghosts.push({ at: performance.now(), inline, lineText: reading ? reading.lineText : '' });
    });
    observer.observe(editor, { childList: true, subtree: true, characterData: true });
    window.addEventListener('keydown', onKeyDown, true);
  }
  function stopTimer() {
    if (observer) observer.disconnect();
    observer = null;
    window.removeEventListener('keydown', onKeyDown, true);
  }
  function takeTimeline() {
    return { keys: timeline.keys.splice(0), ghosts: timeline.ghosts.splice(0), now: performance.now() };
  }

  window.__switchyardE2E = { readGhost: () => readGhost(), readLines, readStatusBarItem, startTimer, takeTimeline };
})();
