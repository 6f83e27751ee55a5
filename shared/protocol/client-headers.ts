/**
 * Request headers a client may send to either HTTP door, defined once for the daemon and any
 * client of ours that speaks HTTP.
 */

/** Names the kind of client; `vscode-inline` marks the editor's ghost-text completions, held to the tight inline deadline. */
export const CLIENT_HEADER = 'x-switchyard-client';

/** The `X-Switchyard-Client` value of the editor's inline (ghost-text) completions. */
export const INLINE_COMPLETION_CLIENT = 'vscode-inline';
