export * from './enums';
export * from './options';
export * from './resolved';
export * from './aidlc-config';
