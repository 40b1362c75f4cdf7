// The resolved config's shape is defined in core (src/core/resolved.ts): the config resolves the
// options to it, and the snapshot reader, the names and the bundled CLI read it without the config.
export * from '../core/resolved';
