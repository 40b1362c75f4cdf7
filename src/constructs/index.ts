export * from './data/data-lake-ref';
