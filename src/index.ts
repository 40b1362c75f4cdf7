export * from './core';
export * from './config';
export * from './constructs';
export * from './app';
export * from './project';
