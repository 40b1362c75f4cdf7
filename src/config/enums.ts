// The config's enums are defined in core (src/core/enums.ts), beside the resolved config that
// holds them, so the snapshot reader, the names and the bundled CLI use them without the config.
export * from '../core/enums';
